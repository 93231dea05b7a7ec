// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Addressing;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// FCP_CMND frames with the vendor copy-management CDBs for <see cref="FrameFuzzer"/>, and their parameter lists for
/// the data frames that follow. Valid pair lists name ports 0x400104 and 0x421014, LUNs 1-5 only: never the canary
/// port. The frame around the CDB is <see cref="ScsiCommandFrames.WriteCommandFrame"/>'s.
/// </summary>
internal sealed class CopyManagementFrames
{
    private static readonly string[] s_mirrorNames = ["AUXSET1", "SET2", "M"];

    private static readonly CopyManagementOpcode[] s_copyOpcodes =
    [
        CopyManagementOpcode.PairCreate, CopyManagementOpcode.PairSplit, CopyManagementOpcode.PairResync,
        CopyManagementOpcode.PairRestore, CopyManagementOpcode.PairSwapResync, CopyManagementOpcode.PairDelete,
        CopyManagementOpcode.PairSuspendByError, CopyManagementOpcode.NameMirrors, CopyManagementOpcode.AtomicSplit,
        CopyManagementOpcode.AtomicSplitByName, CopyManagementOpcode.PairStatus,
    ];

    private static readonly int[] s_copyWeights = [20, 15, 12, 6, 6, 12, 6, 8, 6, 4, 5];

    private readonly ScsiCommandFrames _commands;
    private readonly FuzzDice _dice;

    /// <summary>Initializes the writer.</summary>
    /// <param name="commands">Writes the FCP_CMND frame around a CDB.</param>
    /// <param name="dice">The fuzzer's dice.</param>
    public CopyManagementFrames(ScsiCommandFrames commands, FuzzDice dice)
    {
        _commands = commands;
        _dice = dice;
    }

    public int WriteCopyManagement(byte[] frame, int destination, int lun)
    {
        Span<byte> cdb = stackalloc byte[CopyManagementCdb.Length];
        cdb.Clear();

        // The largest valid list here: NAME MIRRORS with a 7-character name and 4 pairs, 80 bytes.
        Span<byte> list = stackalloc byte[160];
        list.Clear();
        int listLength;
        bool accepted = false;
        int pick = _dice.Next(100);
        if (pick < 85)
        {
            CopyManagementRequest request = ValidCopyRequest();
            request.ToCdb().TryWrite(cdb);
            request.TryWrite(list, out listLength, out _);
            accepted = pick < 60;
            if (!accepted)
            {
                GarbleCopyRequest(cdb, list[..Math.Max(listLength, 4)]);
                listLength = Math.Max(listLength, 4);
            }
        }
        else
        {
            // A random vendor CDB: any opcode from 0xC0, a few bytes set, any length.
            cdb[0] = (byte)(0xC0 + _dice.Next(64));
            for (int n = _dice.Next(3); n > 0; n--)
            {
                cdb[1 + _dice.Next(15)] = (byte)_dice.Next(256);
            }

            BinaryPrimitives.WriteUInt32BigEndian(cdb[6..], _dice.Chance(70) ? (uint)_dice.Next(128) : (uint)_dice.Next(0x10000));
            listLength = _dice.Next(list.Length + 1);
            _dice.Fill(list[..listLength]);
        }

        bool dataIn = cdb[0] == (byte)CopyManagementOpcode.PairStatus;
        uint field = BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);
        int direction = dataIn ? 1 : field > 0 ? 2 : 0;
        return _commands.WriteCommandFrame(frame, destination, lun, cdb, field, direction, dataIn ? default : list[..listLength], accepted);
    }

    private CopyManagementRequest ValidCopyRequest()
    {
        int pick = _dice.Next(100);
        int which = 0;
        while (pick >= s_copyWeights[which])
        {
            pick -= s_copyWeights[which];
            which++;
        }

        CopyManagementOpcode opcode = s_copyOpcodes[which];
        bool readWrite = _dice.Chance(50);
        SplitMechanism mechanism = (SplitMechanism)_dice.Next(3);
        switch (opcode)
        {
            case CopyManagementOpcode.PairStatus:
                return CopyManagementRequest.ForPairStatus(_dice.Chance(70) ? (uint)(PairStatusData.HeaderLength + (PairStatusRow.Length * _dice.Next(6))) : (uint)_dice.Next(0x10000));
            case CopyManagementOpcode.PairSplit:
                return CopyManagementRequest.ForPairSplit(Pair(), readWrite);
            case CopyManagementOpcode.NameMirrors:
                return CopyManagementRequest.ForNameMirrors(s_mirrorNames[_dice.Next(s_mirrorNames.Length)], Pairs(_dice.Next(5)));
            case CopyManagementOpcode.AtomicSplit:
                return CopyManagementRequest.ForAtomicSplit(Pairs(1 + _dice.Next(4)), mechanism, readWrite);
            case CopyManagementOpcode.AtomicSplitByName:
                return CopyManagementRequest.ForAtomicSplitByName(s_mirrorNames[_dice.Next(s_mirrorNames.Length)], mechanism, readWrite);
            default:
                return CopyManagementRequest.ForPair(opcode, Pair());
        }
    }

    private WirePair[] Pairs(int count)
    {
        WirePair[] pairs = new WirePair[count];
        for (int i = 0; i < count; i++)
        {
            pairs[i] = Pair();
        }

        return pairs;
    }

    private WirePair Pair()
    {
        return new WirePair(Volume(), Volume());
    }

    // A fuzz volume, 10 % an address with no LDEV behind it (refused 81/00): never the canary port.
    private WireVolumeId Volume()
    {
        if (_dice.Chance(90))
        {
            ushort lun = (ushort)(1 + _dice.Next(FuzzTopology.FuzzLuns));
            return new WireVolumeId(lun <= 4 ? new PortId(FuzzTopology.PortA) : new PortId(FuzzTopology.PortB), lun);
        }

        return _dice.Next(3) switch
        {
            0 => new WireVolumeId(new PortId(FuzzTopology.PortA), 5),
            1 => new WireVolumeId(new PortId(FuzzTopology.PortB), (ushort)(1 + _dice.Next(4))),
            _ => new WireVolumeId(new PortId(FuzzTopology.PortA), (ushort)(6 + _dice.Next(0x100))),
        };
    }

    // One defect in a valid request: the CDB's options or reserved bytes, its length field, or the list.
    private void GarbleCopyRequest(Span<byte> cdb, Span<byte> list)
    {
        switch (_dice.Next(5))
        {
            case 0:
                cdb[1] = (byte)_dice.Next(256);
                break;
            case 1:
                cdb[_dice.Chance(50) ? 2 + _dice.Next(4) : 10 + _dice.Next(6)] = (byte)(1 + _dice.Next(255));
                break;
            case 2:
                uint length = BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);
                BinaryPrimitives.WriteUInt32BigEndian(cdb[6..], (uint)Math.Max(0, length + _dice.Next(33) - 16));
                break;
            case 3:
                for (int n = 1 + _dice.Next(3); n > 0; n--)
                {
                    list[_dice.Next(list.Length)] ^= (byte)(1 << _dice.Next(8));
                }

                break;
            default:
                // The pair count disagrees with the list's length.
                BinaryPrimitives.WriteUInt16BigEndian(list, (ushort)_dice.Next(8));
                break;
        }
    }
}
