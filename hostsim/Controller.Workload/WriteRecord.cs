// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Workload;

/// <summary>One write of a dependent chain, as the workload issued it and saw it acknowledged.</summary>
public sealed class WriteRecord
{
    /// <summary>Initializes a record.</summary>
    /// <param name="id">The write's ID (stamped in its blocks).</param>
    /// <param name="chain">The chain.</param>
    /// <param name="index">Its place in the chain (0 first).</param>
    /// <param name="volume">The volume index written.</param>
    /// <param name="lba">The first block.</param>
    /// <param name="dependsOn">The ID of the chain's previous write (0 for the first).</param>
    public WriteRecord(long id, int chain, int index, int volume, long lba, long dependsOn)
    {
        Id = id;
        Chain = chain;
        Index = index;
        Volume = volume;
        Lba = lba;
        DependsOn = dependsOn;
    }

    /// <summary>Gets the write's ID.</summary>
    public long Id { get; }

    /// <summary>Gets the chain.</summary>
    public int Chain { get; }

    /// <summary>Gets the place in the chain.</summary>
    public int Index { get; }

    /// <summary>Gets the volume index.</summary>
    public int Volume { get; }

    /// <summary>Gets the first block.</summary>
    public long Lba { get; }

    /// <summary>Gets the write this one depends on (0 for none).</summary>
    public long DependsOn { get; }

    /// <summary>Gets or sets the logical time it was issued (the history's clock).</summary>
    public long IssuedAt { get; set; }

    /// <summary>Gets or sets the logical time it was acknowledged good (0 if it was not).</summary>
    public long AckedAt { get; set; }
}
