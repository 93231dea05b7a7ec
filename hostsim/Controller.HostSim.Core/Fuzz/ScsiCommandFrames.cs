// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Wire;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// FCP_CMND frames with SCSI CDBs for <see cref="FrameFuzzer"/>: every opcode the target implements, with fields right
/// and wrong. The OX_IDs, S_IDs, login state and expected data come from the fuzzer's model of the connection; every
/// draw from its <see cref="FuzzDice"/>.
/// </summary>
internal sealed class ScsiCommandFrames
{
    // Opcodes the target implements, and the weight of each in the SCSI part of the mix (the last weight is
    // for unknown opcodes).
    private static readonly byte[] s_opcodes = [0x00, 0x03, 0x12, 0xA0, 0x25, 0x9E, 0x28, 0x88, 0x2A, 0x8A, 0x35, 0x1A, 0x16, 0x17, 0x5E, 0x5F];
    private static readonly int[] s_opcodeWeights = [5, 3, 9, 5, 3, 3, 9, 9, 12, 12, 4, 5, 2, 3, 4, 6, 6];

    private readonly FrameFuzzer _fuzzer;
    private readonly FuzzDice _dice;

    /// <summary>Initializes the writer.</summary>
    /// <param name="fuzzer">The fuzzer whose model of the connection the commands follow.</param>
    /// <param name="dice">The fuzzer's dice.</param>
    public ScsiCommandFrames(FrameFuzzer fuzzer, FuzzDice dice)
    {
        _fuzzer = fuzzer;
        _dice = dice;
    }

    /// <summary>The port and LUN of a command: mostly a LUN the fuzz host sees, sometimes not.</summary>
    public int CommandDestination(out int lun)
    {
        int pick = _dice.Next(100);
        int port;
        if (pick < 65)
        {
            port = FuzzTopology.PortA;
            lun = 1 + _dice.Next(4);
        }
        else if (pick < 90)
        {
            port = FuzzTopology.PortB;
            lun = 5;
        }
        else if (pick < 95)
        {
            // The canary port: the fuzz host may log in, but its host group shows it no LUN.
            port = FuzzTopology.CanaryPort;
            lun = 1;
        }
        else
        {
            port = _dice.Next(FcFrameHeader.MaxPortId + 1);
            lun = 1 + _dice.Next(FuzzTopology.FuzzLuns);
        }

        if (_dice.Chance(8))
        {
            lun = _dice.Next(6) switch
            {
                0 => 0,
                1 => 6,
                2 => 0xFF,
                3 => 0x100,
                4 => FcpCommand.MaxLun,
                _ => _dice.Next(FcpCommand.MaxLun + 1),
            };
        }

        return port;
    }

    public int WriteScsiCommand(byte[] frame, int destination, int lun)
    {
        Span<byte> cdb = stackalloc byte[16];
        cdb.Clear();
        int pick = _dice.Next(100);
        int which = 0;
        while (pick >= s_opcodeWeights[which])
        {
            pick -= s_opcodeWeights[which];
            which++;
        }

        byte opcode = which < s_opcodes.Length ? s_opcodes[which] : UnknownOpcode();
        cdb[0] = opcode;
        long dataLength;
        int direction;
        bool accepted = true;
        switch (opcode)
        {
            case 0x00:
            case 0x16:
            case 0x17:
                // TEST UNIT READY, RESERVE(6), RELEASE(6): no data.
                dataLength = 0;
                direction = 0;
                break;
            case 0x03:
                cdb[4] = (byte)_dice.Next(256);
                dataLength = cdb[4];
                direction = 1;
                break;
            case 0x12:
                cdb[1] = _dice.Chance(95) ? (byte)_dice.Next(2) : (byte)_dice.Next(256);
                cdb[2] = (cdb[1] & 1) == 0 && _dice.Chance(90) ? (byte)0 : VitalProductDataPage();
                BinaryPrimitives.WriteUInt16BigEndian(cdb[3..], (ushort)AllocationLength(36, 255));
                dataLength = BinaryPrimitives.ReadUInt16BigEndian(cdb[3..]);
                direction = 1;
                break;
            case 0xA0:
                cdb[2] = (byte)_dice.Next(4);
                BinaryPrimitives.WriteUInt32BigEndian(cdb[6..], _dice.Chance(85) ? (uint)AllocationLength(16, 1024) : _dice.NextUInt32());
                dataLength = BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);
                direction = 1;
                break;
            case 0x25:
                dataLength = 8;
                direction = 1;
                break;
            case 0x9E:
                cdb[1] = _dice.Chance(85) ? (byte)0x10 : (byte)_dice.Next(256);
                BinaryPrimitives.WriteUInt32BigEndian(cdb[10..], _dice.Chance(85) ? 32u : (uint)AllocationLength(0, 64));
                dataLength = BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]);
                direction = 1;
                break;
            case 0x28:
            case 0x88:
            case 0x2A:
            case 0x8A:
                dataLength = ReadOrWrite(cdb, out accepted);
                direction = opcode is 0x2A or 0x8A ? 2 : 1;
                break;
            case 0x35:
                BinaryPrimitives.WriteUInt32BigEndian(cdb[2..], _dice.Chance(80) ? 0 : _dice.NextUInt32());
                dataLength = 0;
                direction = 0;
                break;
            case 0x1A:
                cdb[1] = _dice.Chance(50) ? (byte)0x08 : (byte)0;
                int page = _dice.Next(4) switch { 0 => 0x00, 1 => 0x08, 2 => 0x3F, _ => _dice.Next(64) };
                cdb[2] = (byte)((_dice.Next(4) << 6) | page);
                cdb[3] = _dice.Chance(90) ? (byte)0 : (byte)_dice.Next(256);
                cdb[4] = (byte)_dice.Next(256);
                dataLength = cdb[4];
                direction = 1;
                break;
            case 0x5E:
                cdb[1] = _dice.Chance(80) ? (byte)_dice.Next(2) : (byte)_dice.Next(32);
                BinaryPrimitives.WriteUInt16BigEndian(cdb[7..], (ushort)AllocationLength(8, 64));
                dataLength = BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
                direction = 1;
                break;
            case 0x5F:
                return WritePersistentReserveOut(frame, destination, lun, cdb);
            default:
                _dice.Fill(cdb[1..]);
                dataLength = _dice.Chance(50) ? 0 : _dice.Next(4096);
                direction = _dice.Next(3);
                break;
        }

        return WriteCommandFrame(frame, destination, lun, cdb, dataLength, direction, default, accepted);
    }

    private byte VitalProductDataPage()
    {
        return _dice.Next(4) switch
        {
            0 => 0x00,
            1 => 0x80,
            2 => 0x83,
            _ => (byte)_dice.Next(256),
        };
    }

    // An opcode the target does not implement: below 0xC0 it is refused INVALID COMMAND OPERATION CODE, from
    // 0xC0 it goes to the copy-management decoder, which refuses the ones that are not pair commands.
    private byte UnknownOpcode()
    {
        while (true)
        {
            byte opcode = (byte)_dice.Next(256);
            if (Array.IndexOf(s_opcodes, opcode) < 0 && (opcode < 0xC0 || opcode is 0xC7 or > 0xCA and not 0xD0))
            {
                return opcode;
            }
        }
    }

    // An allocation length: mostly a sensible one, sometimes short, sometimes anything 16 bits hold.
    private int AllocationLength(int usual, int large)
    {
        int pick = _dice.Next(100);
        return pick switch
        {
            < 60 => usual + _dice.Next(large - usual + 1),
            < 80 => _dice.Next(usual + 1),
            _ => _dice.Next(0x10000),
        };
    }

    // READ/WRITE(10/16): LBAs inside, near the end, beyond it, absurd; lengths from 0 to more than the LDEV.
    // inRange: the blocks lie on the LDEV and there is at least one (so a write waits for its data).
    private long ReadOrWrite(Span<byte> cdb, out bool inRange)
    {
        bool sixteen = cdb[0] is 0x88 or 0x8A;
        const int Blocks = FuzzTopology.LdevBlocks;
        int pick = _dice.Next(100);
        uint blocks = pick switch
        {
            < 5 => 0,
            < 75 => (uint)(1 + _dice.Next(8)),
            < 90 => (uint)(9 + _dice.Next(56)),
            < 95 => (uint)(65 + _dice.Next(Blocks - 64)),
            _ => sixteen ? _dice.NextUInt32() : (uint)_dice.Next(0x10000),
        };
        if (!sixteen)
        {
            blocks &= 0xFFFF;
        }

        pick = _dice.Next(100);
        ulong lba = pick switch
        {
            < 55 => blocks <= Blocks ? (ulong)_dice.Next(Blocks - (int)blocks + 1) : 0,
            < 75 => (ulong)Math.Max(0, Blocks - (long)blocks + _dice.Next(9) - 4),
            < 85 => (ulong)(Blocks + _dice.Next(16)),
            < 92 => sixteen ? _dice.NextUInt64() : _dice.NextUInt32(),
            _ => 0,
        };
        if (sixteen)
        {
            BinaryPrimitives.WriteUInt64BigEndian(cdb[2..], lba);
            BinaryPrimitives.WriteUInt32BigEndian(cdb[10..], blocks);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(cdb[2..], (uint)lba);
            BinaryPrimitives.WriteUInt16BigEndian(cdb[7..], (ushort)blocks);
        }

        inRange = blocks > 0 && lba <= Blocks && blocks <= Blocks - lba;
        return blocks * 512L;
    }

    private int WritePersistentReserveOut(byte[] frame, int destination, int lun, Span<byte> cdb)
    {
        // Service action REGISTER, RESERVE, RELEASE or CLEAR (sometimes another), type 1 (sometimes another).
        cdb[1] = _dice.Chance(85) ? (byte)_dice.Next(4) : (byte)_dice.Next(32);
        cdb[2] = _dice.Chance(80) ? (byte)1 : (byte)_dice.Next(256);
        BinaryPrimitives.WriteUInt32BigEndian(cdb[5..], 24);
        Span<byte> parameters = stackalloc byte[24];
        parameters.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(parameters, Key());
        BinaryPrimitives.WriteUInt64BigEndian(parameters[8..], Key());
        return WriteCommandFrame(frame, destination, lun, cdb, 24, 2, parameters, accepted: true);
    }

    private ulong Key()
    {
        return _dice.Next(4) switch
        {
            0 => 0,
            1 => 0x1111,
            2 => 0x2222,
            _ => _dice.NextUInt64(),
        };
    }

    // Writes an FCP_CMND: FCP_DL and the data direction (0 none, 1 RDDATA, 2 WRDATA) are the command's most of
    // the time and wrong otherwise, and a few IUs are malformed (task management, additional CDB bytes,
    // multi-level LUN, short). A data-out command the target should accept (accepted: its fields are right;
    // and the host is logged in, sees the LUN, and nothing below went wrong) on a tracked OX_ID is remembered,
    // with its parameter list (dataOut; empty for write data, which is random), so that data frames follow it.
    public int WriteCommandFrame(byte[] frame, int destination, int lun, ReadOnlySpan<byte> cdb, long dataLength, int direction, ReadOnlySpan<byte> dataOut, bool accepted)
    {
        ushort exchangeId = _fuzzer.CommandExchangeId();
        int source = _fuzzer.Source();
        int at = FrameFuzzer.WriteHeader(frame, FcRoutingControl.Command, FcFrameHeader.TypeFcp, FcFrameControl.Command, destination, source, exchangeId);
        uint fcpDataLength = (uint)Math.Min(dataLength, uint.MaxValue);
        accepted &= source == FuzzTopology.FuzzHost && _fuzzer.MissingLogin(destination) < 0 && lun is >= 1 and <= FuzzTopology.FuzzLuns && FuzzTopology.PortOf(lun) == destination;
        if (_dice.Chance(15))
        {
            accepted = false;
            fcpDataLength = _dice.Next(6) switch
            {
                0 => 0,
                1 => fcpDataLength + 512,
                2 => fcpDataLength - Math.Min(fcpDataLength, 512u),
                3 => fcpDataLength + 1,
                4 => (uint)_dice.Next(16 * 1024 * 1024),
                _ => uint.MaxValue,
            };
        }

        if (_dice.Chance(8))
        {
            accepted = false;
            direction = _dice.Next(3);
        }

        Span<byte> iu = frame.AsSpan(at, FcpCommand.Length);
        FcpCommand.TryWrite(iu, (ushort)lun, cdb, direction == 1, direction == 2, fcpDataLength);
        int length = at + FcpCommand.Length;
        if (_dice.Chance(4))
        {
            switch (_dice.Next(6))
            {
                case 0:
                    iu[10] = (byte)(1 << _dice.Next(8));
                    break;
                case 1:
                    iu[11] |= (byte)((1 + _dice.Next(63)) << 2);
                    break;
                case 2:
                    iu[11] |= 0x03;
                    break;
                case 3:
                    iu[2 + _dice.Next(6)] = (byte)(1 + _dice.Next(255));
                    break;
                case 4:
                    iu[0] = (byte)(0x80 | _dice.Next(0x80));
                    break;
                default:
                    length = at + _dice.Next(FcpCommand.Length);
                    break;
            }

            return length;
        }

        if (accepted && direction == 2 && fcpDataLength > 0)
        {
            _fuzzer.ExpectData(exchangeId, (int)Math.Min(fcpDataLength, int.MaxValue), dataOut);
        }

        return length;
    }

}
