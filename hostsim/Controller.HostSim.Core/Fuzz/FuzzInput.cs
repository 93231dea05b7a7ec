// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// One fuzz input, reused from input to input so that generating allocates nothing: either an FC frame (the
/// 24-byte header, then the payload) or, for <see cref="FuzzInputKind.FcipBytes"/>, bytes of an FCIP stream.
/// </summary>
public sealed class FuzzInput
{
    /// <summary>Room for the largest FCIP-encapsulated frame (2,176 bytes) and what a mutation may append.</summary>
    public const int Capacity = 4096;

    /// <summary>Gets the buffer; the input is its first <see cref="Length"/> bytes.</summary>
    public byte[] Bytes { get; } = new byte[Capacity];

    /// <summary>Gets or sets the input's length in bytes.</summary>
    public int Length { get; set; }

    /// <summary>Gets or sets how the input was made.</summary>
    public FuzzInputKind Kind { get; set; }

    /// <summary>Gets or sets the input's number in the run, from 0.</summary>
    public long Index { get; set; }

    /// <summary>Gets or sets a value indicating whether the bytes are an FCIP stream rather than one FC frame.</summary>
    public bool Encapsulated { get; set; }

    /// <summary>Gets or sets a value indicating whether this input is the first on a new connection.</summary>
    public bool NewConnection { get; set; }

    /// <summary>Gets the input's bytes.</summary>
    public ReadOnlySpan<byte> Span => Bytes.AsSpan(0, Length);

    /// <summary>Formats the input's bytes as hex, to replay a failure.</summary>
    /// <returns>Upper-case hex, two digits a byte.</returns>
    public string ToHex()
    {
        return Convert.ToHexString(Span);
    }
}
