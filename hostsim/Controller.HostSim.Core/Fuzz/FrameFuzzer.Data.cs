// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;

namespace Controller.HostSim.Core.Fuzz;

/// <content>FCP_DATA frames for exchanges that wait for data (and for ones that do not), and random frames.</content>
public sealed partial class FrameFuzzer
{
    private const int DataFrameLength = 2048;

    // At least this many inputs between a data-out command and its first data frame (see PendingExchange): the
    // run's catch-up interval, so the FCP_XFER_RDY has been sent by then.
    private const int DataDelay = 128;

    private static readonly byte[] s_fcpRoutingControls = [FcRoutingControl.Data, FcRoutingControl.TransferReady, FcRoutingControl.Command, FcRoutingControl.Response];
    private static readonly byte[] s_otherRoutingControls = [0x00, 0x02, 0x03, 0x04, 0x32, 0x80, 0xC0, FcRoutingControl.ElsRequest, FcRoutingControl.ElsReply];
    private static readonly byte[] s_types = [0x00, FcFrameHeader.TypeEls, 0x05, FcFrameHeader.TypeFcp, 0x20, 0xFE];

    private int WriteData(byte[] frame)
    {
        int pending = PendingExchange();
        ushort exchangeId = pending >= 0 && _dice.Chance(70) ? (ushort)pending : _dice.Next(20) switch
        {
            < 12 => SweepExchange(),
            < 17 => (ushort)_dice.Next(TrackedExchanges),
            _ => (ushort)_dice.Next(0x10000),
        };
        int source = _dice.Chance(96) ? FuzzTopology.FuzzHost : RandomPortId();
        int destination = _dice.Chance(75) ? FuzzTopology.PortA : _dice.Chance(80) ? FuzzTopology.PortB : Destination();
        bool tracked = exchangeId < TrackedExchanges && _pendingLength[exchangeId] > 0;
        bool follows = _trackData && source == FuzzTopology.FuzzHost && tracked;
        int expected = tracked ? _pendingOffset[exchangeId] : 0;
        long remaining = tracked ? _pendingLength[exchangeId] - expected : DataFrameLength;
        long offset;
        int length;
        if (tracked && _dice.Chance(80))
        {
            // The next piece of the data, as an initiator sends it: whole 2 KiB frames, sometimes shorter ones.
            offset = expected;
            length = (int)Math.Min(remaining, _dice.Chance(80) ? DataFrameLength : 1 + _dice.Next(DataFrameLength));
        }
        else
        {
            switch (_dice.Next(5))
            {
                case 0:
                    offset = expected + (512L * (1 + _dice.Next(4)));
                    length = (int)Math.Min(remaining, DataFrameLength);
                    break;
                case 1:
                    offset = expected == 0 ? 1 + _dice.Next(511) : Math.Max(0, expected - (512 * (1 + _dice.Next(4))));
                    length = (int)Math.Min(remaining, DataFrameLength);
                    break;
                case 2:
                    offset = expected;
                    length = (int)Math.Min(remaining + 1 + _dice.Next(512), FcipEncapsulation.MaxPayloadLength);
                    break;
                case 3:
                    offset = _dice.NextUInt32();
                    length = _dice.Next(DataFrameLength);
                    break;
                default:
                    // An empty frame at the right offset: no progress, and no error either.
                    offset = expected;
                    length = 0;
                    break;
            }
        }

        if (follows)
        {
            if (offset == expected && length <= remaining)
            {
                _pendingOffset[exchangeId] += length;
            }

            if (offset != expected || length >= remaining)
            {
                // All the data arrived (the command runs), or the target answered DATA PHASE ERROR: either
                // way the exchange is over.
                _pendingLength[exchangeId] = 0;
            }
        }

        bool last = tracked && offset + length >= expected + remaining;
        int frameControl = FcFrameControl.RelativeOffsetPresent | (last ? FcFrameControl.EndSequence | FcFrameControl.SequenceInitiative : 0);
        int at = WriteHeader(frame, FcRoutingControl.Data, FcFrameHeader.TypeFcp, frameControl, destination, source, exchangeId, (uint)offset, (ushort)(offset / DataFrameLength));
        Span<byte> payload = frame.AsSpan(at, length);
        _dice.Fill(payload);
        if (tracked)
        {
            // The parameter list the command stands for, where the offset falls inside it.
            ReadOnlySpan<byte> stored = _pendingPayload[exchangeId].AsSpan(0, _pendingPayloadLength[exchangeId]);
            if (offset < stored.Length)
            {
                ReadOnlySpan<byte> piece = stored[(int)offset..];
                piece[..Math.Min(piece.Length, length)].CopyTo(payload);
            }
        }

        return at + length;
    }

    // The next OX_ID of a sweep over the tracked ones and the two edge values that the generator does not
    // believe wait for data. A command whose data was lost (it came before the FCP_XFER_RDY and was discarded)
    // would hold its OX_ID for good and turn every later command on it into OVERLAPPED COMMANDS; a data frame
    // out of sequence ends it with DATA PHASE ERROR (and finds no exchange at all on the other OX_IDs).
    private ushort SweepExchange()
    {
        for (int i = 0; i < TrackedExchanges + 2; i++)
        {
            _sweep = (_sweep + 1) % (TrackedExchanges + 2);
            ushort id = _sweep < TrackedExchanges ? (ushort)_sweep : (ushort)(0xFFFE + _sweep - TrackedExchanges);
            if (id >= TrackedExchanges || _pendingLength[id] == 0)
            {
                return id;
            }
        }

        return 0xFFFF;
    }

    // A tracked OX_ID whose command waits for data, or -1. Nine times in ten only commands at least DataDelay
    // inputs old: the fuzzer runs ahead of the target's writer, and data that arrives before the FCP_XFER_RDY
    // that asks for it is discarded (class 3), which leaves the command waiting for good. The tenth time
    // exercises just that.
    private int PendingExchange()
    {
        int start = _dice.Next(TrackedExchanges);
        int age = _dice.Chance(90) ? DataDelay : 0;
        for (int i = 0; i < TrackedExchanges; i++)
        {
            int id = (start + i) % TrackedExchanges;
            if (_pendingLength[id] > 0 && _index - _pendingSince[id] >= age)
            {
                return id;
            }
        }

        return -1;
    }

    private int WriteRandomFrame(byte[] frame)
    {
        byte routingControl = _dice.Next(3) switch
        {
            0 => (byte)_dice.Next(256),
            1 => s_fcpRoutingControls[_dice.Next(s_fcpRoutingControls.Length)],
            _ => s_otherRoutingControls[_dice.Next(s_otherRoutingControls.Length)],
        };
        byte type = _dice.Chance(50) ? (byte)_dice.Next(256) : s_types[_dice.Next(s_types.Length)];
        int source = _dice.Chance(50) ? FuzzTopology.FuzzHost : RandomPortId();
        int at = WriteHeader(frame, routingControl, type, _dice.Next(0x1000000), Destination(), source, ExchangeId(), _dice.NextUInt32(), (ushort)_dice.Next(0x10000));

        // CS_CTL, SEQ_ID, DF_CTL and RX_ID too.
        frame[4] = (byte)_dice.Next(256);
        frame[12] = (byte)_dice.Next(256);
        frame[13] = (byte)_dice.Next(256);
        frame[18] = (byte)_dice.Next(256);
        frame[19] = (byte)_dice.Next(256);
        int pick = _dice.Next(100);
        int length = pick switch
        {
            < 60 => _dice.Next(65),
            < 90 => 65 + _dice.Next(448),
            _ => 513 + _dice.Next(FcipEncapsulation.MaxPayloadLength - 512),
        };
        _dice.Fill(frame.AsSpan(at, length));
        return at + length;
    }
}
