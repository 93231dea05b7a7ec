// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.Wire;

namespace Controller.Target.Scsi;

/// <summary>How a control-plane command ended (a pair command, a split, a mirror name, a remote-copy control message): what <see cref="ScsiExchange.Complete(in CommandOutcome)"/> answers.</summary>
/// <param name="Accepted">True for GOOD.</param>
/// <param name="Sense">The sense of a refusal.</param>
/// <param name="Reason">Why it was refused, for the log and the audit line.</param>
/// <param name="Data">Data in for an accepted command that answers with some (RC RESYNC's bitmap), or null.</param>
internal readonly record struct CommandOutcome(bool Accepted, SenseData Sense, string Reason, byte[]? Data = null)
{
    /// <summary>Gets the outcome of an accepted command.</summary>
    public static CommandOutcome Good => new(true, default, string.Empty);

    /// <summary>The outcome of an accepted command that answers with <paramref name="data"/>.</summary>
    public static CommandOutcome GoodWithData(byte[] data)
    {
        return new CommandOutcome(true, default, string.Empty, data);
    }

    /// <summary>The outcome of a command the Copy Management Table refused: CHECK CONDITION 05/80/code.</summary>
    public static CommandOutcome Rejected(PairErrorCode error, string reason)
    {
        return new CommandOutcome(false, SenseData.PairRejected((byte)error), reason);
    }
}
