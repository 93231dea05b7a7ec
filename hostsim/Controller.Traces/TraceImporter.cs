// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Traces.Formats;
using Controller.Wire.Pcap;
using Controller.Wire.Scsi;

namespace Controller.Traces;

/// <summary>
/// Turns a block trace into this project's pcap trace: one FCP_CMND frame (READ(16), WRITE(16) or SYNCHRONIZE
/// CACHE(16)) per I/O, from the initiator to the volume the <see cref="DeviceMap"/> gives its device, in the trace's
/// order, time-stamped with the trace's time from its first I/O (so the trace starts at the Unix epoch). The trace
/// carries commands only: no write data and no responses, which <c>hostsim replay</c> supplies and checks itself.
/// </summary>
/// <remarks>
/// An I/O whose offset or length is not a whole number of 512-byte blocks, or whose device the map does not name,
/// is malformed like a bad line: it stops the import, or with skip-bad is counted and left out.
/// </remarks>
public sealed class TraceImporter
{
    /// <summary>The initiator port ID an import writes as S_ID unless told otherwise: the demo host's.</summary>
    public const int DefaultInitiatorPortId = 0x010200;

    private const int BlockBytes = 512;

    // OX_IDs cycle through 0x0000-0xFFFE: 0xFFFF means "unassigned" in FC-FS.
    private const int ExchangeIds = 0xFFFF;

    private readonly DeviceMap _map;
    private readonly int _initiatorPortId;
    private readonly bool _skipBad;

    /// <summary>Initializes an importer.</summary>
    /// <param name="map">Which volume each device becomes.</param>
    /// <param name="initiatorPortId">The S_ID of every command.</param>
    /// <param name="skipBad">True to count and leave out malformed lines instead of stopping at the first.</param>
    public TraceImporter(DeviceMap map, int initiatorPortId = DefaultInitiatorPortId, bool skipBad = false)
    {
        _map = map;
        _initiatorPortId = initiatorPortId;
        _skipBad = skipBad;
    }

    /// <summary>Imports a trace.</summary>
    /// <param name="reader">The trace.</param>
    /// <param name="format">Its format, for the summary.</param>
    /// <param name="writer">The pcap trace written.</param>
    /// <returns>What was read and written.</returns>
    /// <exception cref="TraceFormatException">A malformed line, unless skip-bad.</exception>
    public ImportSummary Import(TraceReader reader, TraceFormat format, PcapWriter writer)
    {
        ImportSummary summary = new() { Format = format, Source = reader.File };
        Dictionary<string, ImportedDevice> devices = new(StringComparer.Ordinal);
        Span<byte> frame = stackalloc byte[CommandFrame.Length];
        Span<byte> cdb = stackalloc byte[BlockCdb.Length16];
        long origin = -1;
        long last = 0;
        long exchange = 0;
        while (true)
        {
            TraceRecord record;
            try
            {
                if (!reader.TryRead(out record))
                {
                    break;
                }

                Check(reader, record);
            }
            catch (TraceFormatException bad) when (_skipBad)
            {
                summary.AddBadLine(bad.Message);
                continue;
            }

            if (!devices.TryGetValue(record.Device, out ImportedDevice? device))
            {
                _map.TryResolve(record.Device, out TraceVolume resolved);
                device = new ImportedDevice(record.Device, resolved);
                devices[record.Device] = device;
                summary.Devices.Add(device);
            }

            if (origin < 0)
            {
                origin = record.TimeNanoseconds;
            }

            long time = record.TimeNanoseconds - origin;
            if (time < last)
            {
                summary.TimesMovedForward++;
                time = last;
            }

            last = time;
            long lba = record.Offset / BlockBytes;
            uint blocks = (uint)(record.Length / BlockBytes);
            byte opcode = record.Operation switch
            {
                TraceOperation.Read => BlockCdb.Read16,
                TraceOperation.Write => BlockCdb.Write16,
                _ => BlockCdb.SynchronizeCache16,
            };
            BlockCdb.Write(cdb, opcode, lba, blocks);
            uint dataLength = record.Operation == TraceOperation.Flush ? 0 : (uint)record.Length;
            CommandFrame.Write(frame, _initiatorPortId, device.Volume, (ushort)(exchange % ExchangeIds), cdb, record.Operation == TraceOperation.Read, record.Operation == TraceOperation.Write, dataLength);
            writer.WriteFrame(time, frame);
            exchange++;
            device.Commands++;
            device.EndBlock = Math.Max(device.EndBlock, lba + blocks);
            switch (record.Operation)
            {
                case TraceOperation.Read:
                    summary.Reads++;
                    summary.BytesRead += record.Length;
                    break;
                case TraceOperation.Write:
                    summary.Writes++;
                    summary.BytesWritten += record.Length;
                    break;
                default:
                    summary.Flushes++;
                    break;
            }
        }

        summary.IgnoredLines = reader.IgnoredLines;
        summary.SpanNanoseconds = last;
        return summary;
    }

    private void Check(TraceReader reader, in TraceRecord record)
    {
        if (record.Offset % BlockBytes != 0 || record.Length % BlockBytes != 0)
        {
            throw new TraceFormatException(reader.File, record.Line, "offset " + record.Offset + " and length " + record.Length + " must be whole 512-byte blocks");
        }

        if (record.Length / BlockBytes > uint.MaxValue || record.Length > int.MaxValue)
        {
            throw new TraceFormatException(reader.File, record.Line, "length " + record.Length + " is beyond what one command can carry");
        }

        if (!_map.TryResolve(record.Device, out _))
        {
            throw new TraceFormatException(reader.File, record.Line, "device '" + record.Device + "' is not in the device map (--map " + record.Device + "=PORT-ID,LUN)");
        }
    }
}
