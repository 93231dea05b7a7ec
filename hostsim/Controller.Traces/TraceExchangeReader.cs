// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Globalization;
using Controller.Addressing;
using Controller.Wire;
using Controller.Wire.CopyManagement;
using Controller.Wire.Pcap;

namespace Controller.Traces;

/// <summary>
/// Reads a pcap trace (link type 224, FC-2 frames) into its FCP exchanges: each FCP_CMND opens one, keyed by
/// (initiator, target, OX_ID); the initiator's FCP_DATA frames are its write data; the target's FCP_DATA and FCP_RSP
/// are its recorded answer, summed by <see cref="DataChecksum"/>. ELS frames are counted and passed over.
/// </summary>
/// <remarks>
/// The whole trace is held in memory (write data included): a replay needs every exchange's data before it sends it,
/// and the answers to compare arrive after later commands. A trace is as large as the memory it takes.
/// </remarks>
public static class TraceExchangeReader
{
    /// <summary>Reads a trace file.</summary>
    /// <param name="path">The pcap file.</param>
    /// <returns>The exchanges.</returns>
    /// <exception cref="InvalidDataException">The file is not a pcap of FC-2 frames, or a frame is malformed; the message names the record.</exception>
    public static TraceExchangeSet Read(string path)
    {
        using PcapReader reader = PcapReader.Open(path);
        return Read(reader, path);
    }

    /// <summary>Reads a trace.</summary>
    /// <param name="reader">The pcap reader.</param>
    /// <param name="source">The trace's name, for messages.</param>
    /// <returns>The exchanges.</returns>
    /// <exception cref="InvalidDataException">The trace is not of FC-2 frames, or a frame is malformed; the message names the record.</exception>
    public static TraceExchangeSet Read(PcapReader reader, string source)
    {
        if (reader.LinkType != PcapFormat.LinkTypeFc2)
        {
            throw new InvalidDataException(source + ": link type " + reader.LinkType + " is not " + PcapFormat.LinkTypeFc2 + " (FC-2 frames): not a trace hostsim wrote or can replay");
        }

        TraceExchangeSet set = new() { Source = source };
        Dictionary<(PortId Initiator, PortId Target, ushort ExchangeId), OpenExchange> open = [];
        while (reader.TryReadNext(out PcapRecord record))
        {
            set.Frames++;
            ReadOnlySpan<byte> frame = record.Frame.Span;
            if (!FcFrameHeader.TryRead(frame, out FcFrameHeader header))
            {
                throw Bad(source, record.Number, "shorter than an FC-2 frame header (" + frame.Length + " bytes)");
            }

            ReadOnlySpan<byte> payload = frame[FcFrameHeader.Length..];
            if (header.Type == FcFrameHeader.TypeEls)
            {
                set.ElsFrames++;
                continue;
            }

            if (header.Type != FcFrameHeader.TypeFcp)
            {
                throw Bad(source, record.Number, "TYPE 0x" + header.Type.ToString("X2", CultureInfo.InvariantCulture) + " is neither FCP (0x08) nor ELS (0x01)");
            }

            bool fromTarget = (header.FrameControl & FcFrameControl.ExchangeResponder) != 0;
            var key = fromTarget ? (header.DestinationId, header.SourceId, header.OriginatorExchangeId) : (header.SourceId, header.DestinationId, header.OriginatorExchangeId);
            switch (header.RoutingControl)
            {
                case FcRoutingControl.Command when !fromTarget:
                    open[key] = new OpenExchange(Command(set, record, header, payload, source));
                    break;
                case FcRoutingControl.Data when open.TryGetValue(key, out OpenExchange? exchange):
                    exchange.AddData(fromTarget, header, payload, source, record.Number);
                    break;
                case FcRoutingControl.TransferReady when open.ContainsKey(key):
                    break;
                case FcRoutingControl.Response when fromTarget && open.Remove(key, out OpenExchange? answered):
                    if (!FcpResponse.TryRead(payload, out FcpResponse response, out string? reason))
                    {
                        throw Bad(source, record.Number, "FCP_RSP: " + reason);
                    }

                    answered.Answer(response, record.Number);
                    set.Responses++;
                    break;
                default:
                    set.OrphanFrames++;
                    break;
            }
        }

        MarkOverlaps(set);
        FindCapacities(set);
        FindPairs(set);
        return set;
    }

    private static TraceExchange Command(TraceExchangeSet set, PcapRecord record, in FcFrameHeader header, ReadOnlySpan<byte> payload, string source)
    {
        if (!FcpCommand.TryRead(payload, out FcpCommand command, out string? reason))
        {
            throw Bad(source, record.Number, "FCP_CMND: " + reason);
        }

        // A trace names ports by number (TraceVolume, TraceExchange, the device map).
        TraceVolume volume = new((int)header.DestinationId.Value, command.Lun);
        int initiator = (int)header.SourceId.Value;
        TraceExchange exchange = new(set.Exchanges.Count + 1, record.Number, record.TimestampNanoseconds, initiator, volume, command.Cdb.ToArray(), command.WriteData, command.ReadData, command.DataLength);
        set.Exchanges.Add(exchange);
        long end = exchange.IsBlockCommand ? exchange.Lba + exchange.Blocks : 0;
        set.Volumes[volume] = Math.Max(set.Volumes.GetValueOrDefault(volume), end);
        if (!set.Initiators.Contains(initiator))
        {
            set.Initiators.Add(initiator);
        }

        return exchange;
    }

    // In the recording, an exchange was outstanding from its FCP_CMND to its FCP_RSP. One that conflicts with another
    // outstanding at the same time read data whose value the target's order decided: its read data is not compared.
    private static void MarkOverlaps(TraceExchangeSet set)
    {
        List<TraceExchange> outstanding = [];
        foreach (TraceExchange exchange in set.Exchanges)
        {
            if (exchange.Response is null)
            {
                continue;
            }

            outstanding.RemoveAll(earlier => earlier.ResponseRecord < exchange.CommandRecord);
            foreach (TraceExchange earlier in outstanding)
            {
                if (exchange.ConflictsWith(earlier))
                {
                    exchange.OverlappedInRecording = true;
                    earlier.OverlappedInRecording = true;
                }
            }

            outstanding.Add(exchange);
        }

        foreach (TraceExchange exchange in set.Exchanges)
        {
            set.Overlapped += exchange.OverlappedInRecording ? 1 : 0;
        }
    }

    // READ CAPACITY(10) (0x25: last LBA in 4 bytes) and READ CAPACITY(16) (SERVICE ACTION IN(16) 0x9E/0x10: in 8),
    // answered GOOD with 512-byte blocks.
    private static void FindCapacities(TraceExchangeSet set)
    {
        foreach (TraceExchange exchange in set.Exchanges)
        {
            if (exchange.Response is not RecordedResponse { Status: FcpResponse.Good, KeptData: byte[] data })
            {
                continue;
            }

            byte[] cdb = exchange.Cdb;
            if (cdb[0] == 0x25 && data.Length >= 8 && BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)) == 512)
            {
                set.RecordedCapacities[exchange.Volume] = BinaryPrimitives.ReadUInt32BigEndian(data) + 1L;
            }
            else if (cdb[0] == 0x9E && cdb.Length > 1 && (cdb[1] & 0x1F) == 0x10 && data.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(8)) == 512)
            {
                set.RecordedCapacities[exchange.Volume] = BinaryPrimitives.ReadInt64BigEndian(data) + 1;
            }
        }
    }

    // The pairs the trace's own PAIR CREATE commands make (their parameter lists, as the initiator sent them): a replay
    // against an embedded controller builds their S-VOLs too, which no READ or WRITE of the trace may address.
    private static void FindPairs(TraceExchangeSet set)
    {
        foreach (TraceExchange exchange in set.Exchanges)
        {
            if (exchange.CopyManagement is { Opcode: CopyManagementOpcode.PairCreate } cdb
                && CopyManagementRequest.TryDecode(cdb, exchange.DataOut ?? [], out CopyManagementRequest request, out _))
            {
                foreach (WirePair pair in request.Pairs)
                {
                    set.CreatedPairs.Add((exchange.Number, new TraceVolume((int)pair.PVol.PortId.Value, pair.PVol.Lun), new TraceVolume((int)pair.SVol.PortId.Value, pair.SVol.Lun)));
                }
            }
        }
    }

    private static InvalidDataException Bad(string source, long record, string problem)
    {
        return new InvalidDataException(source + ": record " + record + ": " + problem);
    }

    // An exchange between its FCP_CMND and its FCP_RSP: the data seen so far in each direction.
    private sealed class OpenExchange(TraceExchange exchange)
    {
        private byte[]? _dataIn;
        private int _dataInLength;
        private int _dataOutLength;

        public void AddData(bool fromTarget, in FcFrameHeader header, ReadOnlySpan<byte> payload, string source, long record)
        {
            // The last frame of a sequence may end in fill bytes (F_CTL bits 1-0), which are not data.
            ReadOnlySpan<byte> data = payload[..Math.Max(0, payload.Length - (header.FrameControl & FcFrameControl.FillBytesMask))];
            long offset = (header.FrameControl & FcFrameControl.RelativeOffsetPresent) != 0 ? header.Parameter : (fromTarget ? _dataInLength : _dataOutLength);
            if (offset + data.Length > exchange.DataLength)
            {
                throw Bad(source, record, "FCP_DATA at relative offset " + offset + " with " + data.Length + " bytes runs past FCP_DL " + exchange.DataLength + " of " + exchange);
            }

            if (fromTarget)
            {
                _dataIn ??= new byte[exchange.DataLength];
                data.CopyTo(_dataIn.AsSpan((int)offset));
                _dataInLength = Math.Max(_dataInLength, (int)offset + data.Length);
            }
            else
            {
                exchange.DataOut ??= new byte[exchange.DataLength];
                data.CopyTo(exchange.DataOut.AsSpan((int)offset));
                _dataOutLength = Math.Max(_dataOutLength, (int)offset + data.Length);
            }
        }

        public void Answer(in FcpResponse response, long record)
        {
            ulong checksum = DataChecksum.Compute(_dataIn is null ? [] : _dataIn.AsSpan(0, _dataInLength));
            byte[]? kept = _dataIn is not null && (_dataInLength <= RecordedResponse.SmallDataLength || exchange.IsPairStatus) ? _dataIn.AsSpan(0, _dataInLength).ToArray() : null;
            exchange.Response = new RecordedResponse(response.Status, response.Sense, response.ResponseCode, _dataInLength, checksum) { KeptData = kept };
            exchange.ResponseRecord = record;
        }
    }
}
