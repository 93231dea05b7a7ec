// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Bls;

/// <summary>
/// The BA_RJT payload (FC-FS-3, basic link services), 4 bytes: reserved, reason code, reason explanation, vendor
/// unique. The target rejects an ABTS for an exchange it does not have (never started, already answered, another
/// port's) with logical error / invalid OX_ID-RX_ID combination.
/// </summary>
/// <param name="Reason">The reason code.</param>
/// <param name="Explanation">The reason explanation.</param>
/// <param name="VendorUnique">The vendor unique byte (0).</param>
public readonly record struct BasicReject(byte Reason, byte Explanation, byte VendorUnique = 0)
{
    /// <summary>The payload's length.</summary>
    public const int Length = 4;

    /// <summary>Reason code: invalid command code.</summary>
    public const byte ReasonInvalidCommand = 0x01;

    /// <summary>Reason code: logical error.</summary>
    public const byte ReasonLogicalError = 0x03;

    /// <summary>Reason code: logical busy.</summary>
    public const byte ReasonLogicalBusy = 0x05;

    /// <summary>Reason code: protocol error.</summary>
    public const byte ReasonProtocolError = 0x07;

    /// <summary>Reason code: unable to perform the command request.</summary>
    public const byte ReasonUnableToPerform = 0x09;

    /// <summary>Reason explanation: no additional explanation.</summary>
    public const byte ExplanationNone = 0x00;

    /// <summary>Reason explanation: invalid OX_ID-RX_ID combination (no such exchange).</summary>
    public const byte ExplanationInvalidExchange = 0x03;

    /// <summary>Reason explanation: sequence aborted, no sequence information provided.</summary>
    public const byte ExplanationSequenceAborted = 0x05;

    /// <summary>Gets the answer to an ABTS for an exchange the responder does not have.</summary>
    public static BasicReject NoSuchExchange => new(ReasonLogicalError, ExplanationInvalidExchange);

    /// <summary>Decodes a BA_RJT payload.</summary>
    /// <param name="payload">The frame's payload.</param>
    /// <param name="reject">The payload.</param>
    /// <returns>False when shorter than 4 bytes.</returns>
    public static bool TryRead(ReadOnlySpan<byte> payload, out BasicReject reject)
    {
        reject = default;
        if (payload.Length < Length)
        {
            return false;
        }

        reject = new BasicReject(payload[1], payload[2], payload[3]);
        return true;
    }

    /// <summary>Encodes the payload.</summary>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    /// <returns>False when the destination is short.</returns>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            return false;
        }

        destination[0] = 0;
        destination[1] = Reason;
        destination[2] = Explanation;
        destination[3] = VendorUnique;
        return true;
    }
}
