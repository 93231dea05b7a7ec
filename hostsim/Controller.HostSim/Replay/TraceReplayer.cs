// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using Controller.HostSim.Hosts;
using Controller.HostSim.Pairs;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire;
using Controller.Wire.CopyManagement;
using Controller.Wire.Pcap;

namespace Controller.HostSim.Replay;

/// <summary>
/// Re-sends a trace's commands and compares every answer with the recorded one. One global order: commands are
/// sent in trace order; one that touches blocks an outstanding command touches (one of the two writing) waits for
/// it, and a command that is not a READ or WRITE (SYNCHRONIZE CACHE, INQUIRY, a pair command) waits for every
/// earlier one and holds back every later one. So the answers depend on the trace alone, never on the timing, and a
/// recording replays to the same answers whatever the queue depth.
/// </summary>
internal sealed class TraceReplayer
{
    private static readonly TimeSpan s_pairTimeout = TimeSpan.FromMinutes(5);
    private readonly TraceExchangeSet _trace;
    private readonly ReplayOptions _options;
    private readonly ReplayReport _report;
    private readonly Lock _gate = new();
    private readonly List<TraceExchange> _outstanding = [];
    private TaskCompletionSource _changed = NewSignal();
    private string? _failure;
    private long _pairStatusAskedAgain;

    private TraceReplayer(TraceExchangeSet trace, ReplayOptions options, string target)
    {
        _trace = trace;
        _options = options;
        _report = new ReplayReport { Source = trace.Source, Target = target, Options = options, Exchanges = trace.Exchanges.Count };
    }

    /// <summary>Replays a trace.</summary>
    /// <param name="trace">The trace's exchanges.</param>
    /// <param name="options">How.</param>
    /// <returns>The report.</returns>
    public static async Task<ReplayReport> RunAsync(TraceExchangeSet trace, ReplayOptions options)
    {
        using PcapFrameTap? tap = options.RecordPath is null ? null : PcapFrameTap.Create(options.RecordPath);
        using EmbeddedController? embedded = options.Target is null ? EmbeddedController.Create(Volumes(trace, options)) : null;
        await using HostConnections hosts = embedded is not null ? HostConnections.ToEmbedded(embedded, tap) : HostConnections.ToRemote(options.Target!, tap);
        TraceReplayer replayer = new(trace, options, hosts.Description);
        await replayer.RunAsync(hosts).ConfigureAwait(false);
        return replayer._report;
    }

    // Each volume of the trace, and each S-VOL of a mirror (--mirror, or a PAIR CREATE of the trace) at its P-VOL's size: the capacity the recording's READ
    // CAPACITY answered, else at least the capacity asked for and enough for the trace's last block, rounded up to a MiB.
    private static List<(TraceVolume, long)> Volumes(TraceExchangeSet trace, ReplayOptions options)
    {
        Dictionary<TraceVolume, long> blocks = [];
        foreach ((TraceVolume volume, long end) in trace.Volumes)
        {
            blocks[volume] = trace.RecordedCapacities.TryGetValue(volume, out long recorded) && recorded >= end
                ? recorded
                : Math.Max(options.CapacityBlocks, (end + 2047) / 2048 * 2048);
        }

        List<(TraceVolume PVol, TraceVolume SVol)> mirrors = [.. options.Mirrors];
        foreach ((long _, TraceVolume pVol, TraceVolume sVol) in trace.CreatedPairs)
        {
            mirrors.Add((pVol, sVol));
        }

        foreach ((TraceVolume pVol, TraceVolume sVol) in mirrors)
        {
            long size = blocks.GetValueOrDefault(pVol, options.CapacityBlocks);
            blocks[pVol] = size;
            blocks[sVol] = Math.Max(size, blocks.GetValueOrDefault(sVol));
        }

        List<(TraceVolume, long)> volumes = [];
        foreach ((TraceVolume volume, long size) in blocks)
        {
            volumes.Add((volume, size));
        }

        return volumes;
    }

    private static TaskCompletionSource NewSignal()
    {
        // Waiters resume on the thread pool, never on an initiator's frame reader.
        return new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task RunAsync(HostConnections hosts)
    {
        try
        {
            Dictionary<(int, int), InitiatorPort> ports = await LoginAsync(hosts).ConfigureAwait(false);
            PairClient? pairs = await CreateMirrorsAsync(hosts).ConfigureAwait(false);
            if (pairs is null && _options.SplitAt.Count > 0)
            {
                throw new InitiatorException("--split-at needs a --mirror to split");
            }

            await SendAllAsync(ports, pairs).ConfigureAwait(false);
            if (pairs is not null)
            {
                await ReadPairsAsync(pairs).ConfigureAwait(false);
            }
        }
        catch (Exception failure) when (failure is InitiatorException or System.Net.Sockets.SocketException or IOException)
        {
            _failure ??= failure.Message;
        }

        _report.Failure = _failure;
        _report.PairStatusAskedAgain = Interlocked.Read(ref _pairStatusAskedAgain);
    }

    private async Task<Dictionary<(int, int), InitiatorPort>> LoginAsync(HostConnections hosts)
    {
        Dictionary<(int, int), InitiatorPort> ports = [];
        foreach (TraceExchange exchange in _trace.Exchanges)
        {
            (int, int) key = (exchange.InitiatorPortId, exchange.Volume.PortId);
            if (!ports.ContainsKey(key))
            {
                ports[key] = await hosts.GetAsync(exchange.InitiatorPortId, exchange.Volume.PortId).ConfigureAwait(false);
            }
        }

        return ports;
    }

    private async Task<PairClient?> CreateMirrorsAsync(HostConnections hosts)
    {
        if (_options.Mirrors.Count == 0)
        {
            return null;
        }

        int host = _trace.Initiators.Count > 0 ? _trace.Initiators[0] : TraceImporter.DefaultInitiatorPortId;
        TraceVolume commandDevice = _options.Mirrors[0].PVol;
        PairClient client = new(await hosts.GetAsync(host, commandDevice.PortId).ConfigureAwait(false), commandDevice);
        await client.CreateAndWaitAsync(_options.Mirrors, s_pairTimeout).ConfigureAwait(false);
        return client;
    }

    private async Task SendAllAsync(Dictionary<(int, int), InitiatorPort> ports, PairClient? pairs)
    {
        HashSet<long> splitBefore = [.. _options.SplitAt];
        long origin = _trace.Exchanges.Count > 0 ? _trace.Exchanges[0].TimeNanoseconds : 0;
        long start = Stopwatch.GetTimestamp();
        foreach (TraceExchange exchange in _trace.Exchanges)
        {
            if (_failure is not null)
            {
                break;
            }

            if (splitBefore.Contains(exchange.Number))
            {
                await WaitUntilAsync(() => _outstanding.Count == 0).ConfigureAwait(false);
                await SplitAsync(pairs!, exchange.Number).ConfigureAwait(false);
            }

            if (_options.Timing != ReplayTiming.Asap)
            {
                double speed = _options.Timing == ReplayTiming.Scaled ? _options.Speed : 1;
                await WaitForTimeAsync(start, (long)((exchange.TimeNanoseconds - origin) / speed)).ConfigureAwait(false);
            }

            await WaitUntilAsync(() => CanSend(exchange)).ConfigureAwait(false);
            lock (_gate)
            {
                _outstanding.Add(exchange);
            }

            _ = SendAsync(ports[(exchange.InitiatorPortId, exchange.Volume.PortId)], exchange);
        }

        await WaitUntilAsync(() => _outstanding.Count == 0).ConfigureAwait(false);
        _report.Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    // Called under the gate.
    private bool CanSend(TraceExchange exchange)
    {
        if (_failure is not null)
        {
            return true;
        }

        if (_outstanding.Count >= _options.QueueDepth || (!exchange.IsBlockCommand && _outstanding.Count > 0))
        {
            return false;
        }

        foreach (TraceExchange earlier in _outstanding)
        {
            if (!earlier.IsBlockCommand || exchange.ConflictsWith(earlier))
            {
                return false;
            }
        }

        return true;
    }

    private async Task WaitUntilAsync(Func<bool> ready)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (ready())
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.ConfigureAwait(false);
        }
    }

    private async Task WaitForTimeAsync(long start, long dueNanoseconds)
    {
        long now = (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        if (dueNanoseconds <= now)
        {
            _report.SentLate += now - dueNanoseconds > 1_000_000 ? 1 : 0;
            return;
        }

        // After a pair command this may be running on an initiator's frame reader: leave it before spinning.
        await Task.Yield();
        if (dueNanoseconds - now > 2_000_000)
        {
            // Sleep most of the way; the timer is coarse, so the last two milliseconds are spun.
            await Task.Delay(TimeSpan.FromTicks((dueNanoseconds - now - 2_000_000) / 100)).ConfigureAwait(false);
        }

        while ((long)Stopwatch.GetElapsedTime(start).TotalNanoseconds < dueNanoseconds)
        {
            Thread.SpinWait(20);
        }

        if ((long)Stopwatch.GetElapsedTime(start).TotalNanoseconds - dueNanoseconds > 1_000_000)
        {
            _report.SentLate++;
        }
    }

    private async Task SendAsync(InitiatorPort port, TraceExchange exchange)
    {
        int length = (int)exchange.DataLength;
        byte[]? buffer = length > 0 ? ArrayPool<byte>.Shared.Rent(length) : null;
        long sent = Stopwatch.GetTimestamp();
        try
        {
            ReadOnlyMemory<byte> dataOut = default;
            Memory<byte> dataIn = default;
            if (exchange.WriteData && buffer is not null)
            {
                if (exchange.DataOut is byte[] recorded)
                {
                    recorded.CopyTo(buffer, 0);
                }
                else
                {
                    FillWriteData(buffer.AsSpan(0, length), exchange);
                }

                dataOut = buffer.AsMemory(0, length);
            }
            else if (exchange.ReadData && buffer is not null)
            {
                dataIn = buffer.AsMemory(0, length);
            }

            ScsiResult result = await port.ExecuteAsync(exchange.Volume.PortId, exchange.Volume.Lun, exchange.Cdb, dataOut, dataIn).ConfigureAwait(false);
            long latency = (long)Stopwatch.GetElapsedTime(sent).TotalNanoseconds;
            PairStatusRow[]? rows = null;
            if (exchange.IsPairStatus && RecordedRows(exchange) is PairStatusRow[] recordedRows)
            {
                (result, rows) = await AskUntilCopiesEndAsync(port, exchange, buffer!, recordedRows, result).ConfigureAwait(false);
            }

            ulong checksum = DataChecksum.Compute(buffer is null || !exchange.ReadData ? [] : buffer.AsSpan(0, Math.Min(result.DataInLength, length)));
            Completed(exchange, result, checksum, latency, rows);
        }
        catch (Exception failure) when (failure is InitiatorException or IOException or ObjectDisposedException)
        {
            Failed(exchange, failure.Message);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    // The rows of a recorded GOOD answer to PAIR STATUS, or null (not recorded, not GOOD, or not a table).
    private static PairStatusRow[]? RecordedRows(TraceExchange exchange)
    {
        return exchange.Response is RecordedResponse { Status: FcpResponse.Good, KeptData: byte[] data } && PairStatusData.TryRead(data, out PairStatusRow[] rows, out _, out _) ? rows : null;
    }

    // A PAIR STATUS whose recording saw a copy ended (the recorder polled until it had) while the replay's copy still
    // runs: ask again, every 10 ms, until it has ended too, as the recorder did. Nothing else is outstanding (a
    // copy-management command is sent alone), so the extra questions change nothing the trace decides.
    private async Task<(ScsiResult Result, PairStatusRow[]? Rows)> AskUntilCopiesEndAsync(InitiatorPort port, TraceExchange exchange, byte[] buffer, PairStatusRow[] recorded, ScsiResult result)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            if (!result.IsGood || !PairStatusData.TryRead(buffer.AsSpan(0, result.DataInLength), out PairStatusRow[] rows, out _, out _))
            {
                return (result, null);
            }

            if (!PairStatusComparison.IsStillCopying(recorded, rows) || Stopwatch.GetElapsedTime(start) >= s_pairTimeout)
            {
                return (result, rows);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
            Interlocked.Increment(ref _pairStatusAskedAgain);
            result = await port.ExecuteAsync(exchange.Volume.PortId, exchange.Volume.Lun, exchange.Cdb, dataIn: buffer.AsMemory(0, (int)exchange.DataLength)).ConfigureAwait(false);
        }
    }

    // Write data for a trace that recorded none (an imported one): every 512-byte block carries the exchange's
    // number and the block's LBA, so a later read of it tells which write it came from.
    private static void FillWriteData(Span<byte> data, TraceExchange exchange)
    {
        for (int offset = 0; offset + 16 <= data.Length; offset += 16)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data[offset..], exchange.Number);
            BinaryPrimitives.WriteInt64LittleEndian(data[(offset + 8)..], exchange.Lba + (offset / 512));
        }
    }

    private void Completed(TraceExchange exchange, in ScsiResult result, ulong checksum, long latency, PairStatusRow[]? rows)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _report.Replayed++;
            _report.Latency.Record(latency);
            if (!result.IsGood)
            {
                _report.NotGood++;
            }

            Compare(exchange, result, checksum, rows);
            _outstanding.Remove(exchange);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    // Called under the gate.
    private void Compare(TraceExchange exchange, in ScsiResult result, ulong checksum, PairStatusRow[]? rows)
    {
        if (exchange.Response is not RecordedResponse recorded)
        {
            _report.NotRecorded++;
            if (!result.IsGood)
            {
                _report.NotGoodUnrecorded++;
                if (_report.FirstNotGoodUnrecorded is null || exchange.Number < _report.FirstNotGoodUnrecorded.Value.Exchange.Number)
                {
                    _report.FirstNotGoodUnrecorded = (exchange, PairClient.Describe(result));
                }
            }

            return;
        }

        _report.Compared++;
        bool same = result.Status == recorded.Status && result.Sense == recorded.Sense && (result.ResponseCode ?? 0) == (recorded.ResponseCode ?? 0);
        string? detail = null;
        if (same && rows is not null && RecordedRows(exchange) is PairStatusRow[] recordedRows)
        {
            detail = PairStatusComparison.Difference(recordedRows, rows);
            same = detail is null;
        }
        else if (same && exchange.ReadData)
        {
            if (exchange.OverlappedInRecording)
            {
                _report.DataNotCompared++;
            }
            else
            {
                same = result.DataInLength == recorded.DataInLength && checksum == recorded.DataInChecksum;
            }
        }

        if (same)
        {
            _report.Matched++;
            return;
        }

        _report.Diverged++;
        if (_report.FirstDivergence is null || exchange.Number < _report.FirstDivergence.Exchange.Number)
        {
            _report.FirstDivergence = new ReplayDivergence(exchange, recorded, result, checksum) { Detail = detail };
        }
    }

    private void Failed(TraceExchange exchange, string reason)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _failure ??= exchange + ": " + reason;
            _outstanding.Remove(exchange);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private async Task SplitAsync(PairClient pairs, long beforeExchange)
    {
        (ScsiResult result, TimeSpan latency) = await pairs.AtomicSplitAsync(_options.Mirrors, _options.Mechanism).ConfigureAwait(false);
        _report.Splits.Add(new ReplaySplit(beforeExchange, PairClient.Describe(result), result.IsGood, latency.TotalMicroseconds));
    }

    private async Task ReadPairsAsync(PairClient pairs)
    {
        _report.Pairs.AddRange(await pairs.RowsAsync(_options.Mirrors).ConfigureAwait(false));
    }
}
