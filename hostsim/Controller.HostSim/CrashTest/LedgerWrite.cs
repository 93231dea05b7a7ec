// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>One stamped write in the crash test's ledger: where, which, when it was sent and answered (logical ticks).</summary>
internal sealed class LedgerWrite
{
    /// <summary>Initializes a write.</summary>
    /// <param name="id">Its ID, stamped in each of its blocks (never reused in a run).</param>
    /// <param name="volume">The ledger's volume index.</param>
    /// <param name="lba">The first block.</param>
    /// <param name="blocks">How many blocks.</param>
    /// <param name="issuedAt">The tick before it was sent.</param>
    public LedgerWrite(long id, int volume, long lba, int blocks, long issuedAt)
    {
        Id = id;
        Volume = volume;
        Lba = lba;
        Blocks = blocks;
        IssuedAt = issuedAt;
    }

    /// <summary>Gets its ID.</summary>
    public long Id { get; }

    /// <summary>Gets the ledger's volume index.</summary>
    public int Volume { get; }

    /// <summary>Gets the first block.</summary>
    public long Lba { get; }

    /// <summary>Gets how many blocks.</summary>
    public int Blocks { get; }

    /// <summary>Gets the tick before it was sent.</summary>
    public long IssuedAt { get; }

    /// <summary>Gets or sets the tick after its GOOD arrived (0 unless acknowledged).</summary>
    public long AckedAt { get; set; }

    /// <summary>Gets or sets what became of it.</summary>
    public WriteOutcome Outcome { get; set; }

    /// <summary>Gets whether it was acknowledged.</summary>
    public bool IsAcknowledged => Outcome == WriteOutcome.Acknowledged;

    /// <inheritdoc/>
    public override string ToString()
    {
        return "write " + Id + " (volume " + Volume + ", LBA " + Lba + "+" + Blocks + ", " + Outcome + ")";
    }
}
