// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Wire;

namespace Controller.Traces;

/// <summary>The FC-2 frame of an FCP_CMND, as a trace records it: the header (initiator to target port) and the 32-byte FCP_CMND.</summary>
public static class CommandFrame
{
    /// <summary>The frame's length: the 24-byte header and the FCP_CMND with a 16-byte CDB.</summary>
    public const int Length = FcFrameHeader.Length + FcpCommand.Length;

    /// <summary>Writes the frame.</summary>
    /// <param name="destination">At least <see cref="Length"/> bytes.</param>
    /// <param name="initiatorPortId">The S_ID.</param>
    /// <param name="volume">The D_ID and the LUN.</param>
    /// <param name="exchangeId">The OX_ID (never 0xFFFF, which means "unassigned").</param>
    /// <param name="cdb">The CDB (up to 16 bytes).</param>
    /// <param name="readData">True when the command reads data (RDDATA).</param>
    /// <param name="writeData">True when it writes data (WRDATA).</param>
    /// <param name="dataLength">FCP_DL: the bytes to transfer.</param>
    public static void Write(Span<byte> destination, int initiatorPortId, TraceVolume volume, ushort exchangeId, ReadOnlySpan<byte> cdb, bool readData, bool writeData, uint dataLength)
    {
        FcFrameHeader header = new()
        {
            RoutingControl = FcRoutingControl.Command,
            DestinationId = new PortId((uint)volume.PortId),
            SourceId = new PortId((uint)initiatorPortId),
            Type = FcFrameHeader.TypeFcp,
            FrameControl = FcFrameControl.Command,
            OriginatorExchangeId = exchangeId,
            ResponderExchangeId = 0xFFFF,
        };
        header.TryWrite(destination);
        FcpCommand.TryWrite(destination[FcFrameHeader.Length..], volume.Lun, cdb, readData, writeData, dataLength);
    }
}
