// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire;

/// <summary>Bits of the F_CTL field of the FC-2 frame header (FC-FS-3), and the combinations FCP uses.</summary>
public static class FcFrameControl
{
    /// <summary>Bit 23: the frame comes from the exchange's responder (the target), not its originator.</summary>
    public const int ExchangeResponder = 0x800000;

    /// <summary>Bit 21: the frame belongs to the first sequence of the exchange.</summary>
    public const int FirstSequence = 0x200000;

    /// <summary>Bit 20: the frame belongs to the last sequence of the exchange.</summary>
    public const int LastSequence = 0x100000;

    /// <summary>Bit 19: the last frame of its sequence.</summary>
    public const int EndSequence = 0x080000;

    /// <summary>Bit 16: sequence initiative is passed to the other port with this sequence.</summary>
    public const int SequenceInitiative = 0x010000;

    /// <summary>Bit 3: the parameter field holds a relative offset (FCP_DATA).</summary>
    public const int RelativeOffsetPresent = 0x000008;

    /// <summary>Bits 1-0: how many fill bytes pad the payload to a whole word.</summary>
    public const int FillBytesMask = 0x000003;

    /// <summary>FCP_CMND from the initiator: first sequence, end of sequence, initiative passed (0x290000).</summary>
    public const int Command = FirstSequence | EndSequence | SequenceInitiative;

    /// <summary>FCP_XFER_RDY from the target: initiative passed to the initiator for the data.</summary>
    public const int TransferReady = ExchangeResponder | EndSequence | SequenceInitiative;

    /// <summary>FCP_RSP from the target: the last sequence of the exchange.</summary>
    public const int Response = ExchangeResponder | LastSequence | EndSequence | SequenceInitiative;

    /// <summary>An ELS request from its originator.</summary>
    public const int ElsRequest = FirstSequence | EndSequence | SequenceInitiative;

    /// <summary>An ELS reply from the responder.</summary>
    public const int ElsReply = ExchangeResponder | LastSequence | EndSequence | SequenceInitiative;

    /// <summary>ABTS from the exchange's originator: end of sequence, initiative passed (0x090000, as Linux libfc sends it).</summary>
    public const int BasicAbort = EndSequence | SequenceInitiative;

    /// <summary>BA_ACC or BA_RJT from the exchange's responder: the last sequence of the exchange (0x990000).</summary>
    public const int BasicReply = ExchangeResponder | LastSequence | EndSequence | SequenceInitiative;
}
