// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Wire.Tests.Pcap;

/// <summary>FC-2 frames for the pcap tests, built with the codec.</summary>
internal static class FcpFrames
{
    /// <summary>
    /// The frame <see cref="Write16Command"/> builds: the header of FcFrameHeaderTests' golden FCP_CMND with OX_ID 1,
    /// then the FCP_CMND payload of FcpCommandTests (LUN 1, WRDATA, WRITE(16) LBA 16, 8 blocks, FCP_DL 4096).
    /// </summary>
    public const string Write16CommandHex =
        "064001040001020008290000000000000001FFFF00000000"
        + "0001000000000000" + "00000001" + "8A000000000000000010000000080000" + "00001000";

    /// <summary>An FCP_CMND for WRITE(16) from 0x010200 to 0x400104, 56 bytes.</summary>
    public static byte[] Write16Command()
    {
        byte[] frame = new byte[FcFrameHeader.Length + FcpCommand.Length];
        FcFrameHeader header = new()
        {
            RoutingControl = FcRoutingControl.Command,
            DestinationId = new PortId(0x400104),
            SourceId = new PortId(0x010200),
            Type = FcFrameHeader.TypeFcp,
            FrameControl = 0x290000,
            OriginatorExchangeId = 1,
            ResponderExchangeId = 0xFFFF,
        };
        if (!header.TryWrite(frame))
        {
            throw new InvalidOperationException("the FCP_CMND header does not encode");
        }

        byte[] cdb = new byte[16];
        cdb[0] = 0x8A;
        cdb[9] = 16;
        cdb[13] = 8;
        if (!FcpCommand.TryWrite(frame.AsSpan(FcFrameHeader.Length), 1, cdb, readData: false, writeData: true, 4096))
        {
            throw new InvalidOperationException("the FCP_CMND payload does not encode");
        }

        return frame;
    }
}
