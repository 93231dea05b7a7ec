// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.RemoteCopy;

/// <summary>The secondary's answer to a <see cref="RemoteControl"/> (or the link's, when it never got there).</summary>
/// <param name="Status">Done, refused, or unknown because the link is down.</param>
/// <param name="Error">Why it was refused.</param>
/// <param name="Message">For logs and the host's error message.</param>
public sealed record RemoteControlReply(RemoteStatus Status, PairErrorCode Error, string Message)
{
    /// <summary>Gets the S side's state after the message.</summary>
    public PairState State { get; init; }

    /// <summary>Gets, for a create, the S-VOL's capacity in blocks.</summary>
    public long BlockCount { get; init; }

    /// <summary>Gets, for a resync, the S side's differential bitmap (<see cref="Bitmaps.DifferentialBitmap.WriteBits"/>), else null.</summary>
    public byte[]? Bitmap { get; init; }

    /// <summary>Gets whether the secondary did it.</summary>
    public bool IsGood => Status == RemoteStatus.Good;

    /// <summary>The answer of a link that is down.</summary>
    /// <param name="why">What happened.</param>
    /// <returns>The reply.</returns>
    public static RemoteControlReply LinkDown(string why)
    {
        return new RemoteControlReply(RemoteStatus.LinkDown, PairErrorCode.LinkDown, why);
    }

    /// <summary>A refusal.</summary>
    /// <param name="error">Why.</param>
    /// <param name="message">Why, in words.</param>
    /// <returns>The reply.</returns>
    public static RemoteControlReply Refused(PairErrorCode error, string message)
    {
        return new RemoteControlReply(RemoteStatus.Refused, error, message);
    }
}
