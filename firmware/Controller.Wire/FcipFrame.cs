// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire;

/// <summary>One FC frame taken out of its FCIP encapsulation: a view on the stream's bytes, no copy.</summary>
public readonly ref struct FcipFrame
{
    /// <summary>Initializes a view.</summary>
    /// <param name="fcFrame">The FC frame: header and payload, without CRC and delimiters.</param>
    /// <param name="start">The SOF code.</param>
    /// <param name="end">The EOF code.</param>
    /// <param name="seconds">The time stamp's integer seconds.</param>
    /// <param name="fraction">The time stamp's fraction of a second (1/2^32 units).</param>
    public FcipFrame(ReadOnlySpan<byte> fcFrame, byte start, byte end, uint seconds, uint fraction)
    {
        FcFrame = fcFrame;
        Start = start;
        End = end;
        Seconds = seconds;
        Fraction = fraction;
    }

    /// <summary>Gets the FC frame: header and payload.</summary>
    public ReadOnlySpan<byte> FcFrame { get; }

    /// <summary>Gets the SOF code.</summary>
    public byte Start { get; }

    /// <summary>Gets the EOF code.</summary>
    public byte End { get; }

    /// <summary>Gets the time stamp's seconds.</summary>
    public uint Seconds { get; }

    /// <summary>Gets the time stamp's fraction.</summary>
    public uint Fraction { get; }
}
