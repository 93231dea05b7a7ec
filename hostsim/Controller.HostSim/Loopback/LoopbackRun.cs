// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Scheduling;
using Controller.HostSim.Core.Measurement;
using Controller.Initiator;
using Controller.Target;

namespace Controller.HostSim.Loopback;

/// <summary>
/// 4 KiB writes over real loopback TCP at a fixed queue depth: QD workers on one initiator connection, each
/// issuing its next write as soon as the previous one answers, latency timed per command by the initiator.
/// The embedded controller is a real FCIP listener on 127.0.0.1 with one RAM LDEV; or any controller given by
/// <see cref="LoopbackOptions.Target"/>.
/// </summary>
internal static class LoopbackRun
{
    public static async Task<LoopbackReport> RunAsync(LoopbackOptions options)
    {
        StorageSubsystem? subsystem = null;
        FcipListener? listener = null;
        IPEndPoint endPoint;
        if (options.Target is IPEndPoint given)
        {
            endPoint = given;
        }
        else
        {
            subsystem = new StorageSubsystem(RealTimeScheduler.Instance);
            subsystem.CreateLdev(new LdevId(1), options.SpanBlocks);
            TargetPort port = new(new PortId((uint)options.TargetPortId));
            port.MapLun(new Lun(options.Lun), new LdevId(1));
            ControllerFrontEnd frontEnd = new(subsystem, [port]);
            if (options.InProcess)
            {
                try
                {
                    await using InitiatorPort local = new(InProcessLink.Connect(frontEnd).Initiator, options.InitiatorPortId);
                    await local.LoginAsync(options.TargetPortId, options.FirstBurst).ConfigureAwait(false);
                    return await MeasureAsync(local, options, "embedded controller, in-process pipes (no TCP)").ConfigureAwait(false);
                }
                finally
                {
                    subsystem.Dispose();
                }
            }

            listener = new FcipListener(frontEnd, new IPEndPoint(IPAddress.Loopback, 0));
            listener.Start();
            endPoint = listener.LocalEndPoint;
        }

        try
        {
            await using InitiatorPort initiator = await InitiatorPort.ConnectAsync(endPoint, options.InitiatorPortId).ConfigureAwait(false);
            await initiator.LoginAsync(options.TargetPortId, options.FirstBurst).ConfigureAwait(false);
            return await MeasureAsync(initiator, options, (options.Target is null ? "embedded controller on " : "controller at ") + endPoint).ConfigureAwait(false);
        }
        finally
        {
            if (listener is not null)
            {
                await listener.DisposeAsync().ConfigureAwait(false);
            }

            subsystem?.Dispose();
        }
    }

    private static async Task<LoopbackReport> MeasureAsync(InitiatorPort initiator, LoopbackOptions options, string target)
    {
        // The LBAs written stay inside the LUN the target really has (a controllerd LDEV may be smaller than
        // the default span): READ CAPACITY(16) first.
        long capacity = await Hosts.ScsiQueries.ReadCapacityBlocksAsync(initiator, options.TargetPortId, options.Lun).ConfigureAwait(false);
        options = options with { SpanBlocks = Math.Min(options.SpanBlocks, capacity) };
        if (options.SpanBlocks < options.BlockBytes / 512)
        {
            throw new InitiatorException("LUN 0x" + options.Lun.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + " has " + capacity + " blocks, fewer than one write");
        }

        long warmupEnd = Stopwatch.GetTimestamp() + (long)(options.WarmupSeconds * Stopwatch.Frequency);
        long end = warmupEnd + (long)(options.Seconds * Stopwatch.Frequency);
        Worker[] workers = new Worker[options.QueueDepth];
        Task[] running = new Task[workers.Length];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = new Worker(initiator, options, options.Seed + (ulong)i, warmupEnd, end);
            running[i] = workers[i].RunAsync();
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        LatencyHistogram latency = new();
        long commands = 0;
        long errors = 0;
        string? firstError = null;
        foreach (Worker worker in workers)
        {
            latency.Add(worker.Latency);
            commands += worker.Measured;
            errors += worker.Errors;
            firstError ??= worker.FirstError;
        }

        return new LoopbackReport(options, target, commands, errors, options.Seconds, latency, firstError);
    }

    private sealed class Worker
    {
        private readonly InitiatorPort _initiator;
        private readonly LoopbackOptions _options;
        private readonly SplitMix64 _random;
        private readonly long _warmupEnd;
        private readonly long _end;
        private readonly byte[] _data;
        private readonly byte[] _cdb = new byte[16];

        public Worker(InitiatorPort initiator, LoopbackOptions options, ulong seed, long warmupEnd, long end)
        {
            _initiator = initiator;
            _options = options;
            _random = new SplitMix64(seed);
            _warmupEnd = warmupEnd;
            _end = end;
            _data = new byte[options.BlockBytes];
            new Random((int)seed).NextBytes(_data);
            _cdb[0] = 0x8A;
            BinaryPrimitives.WriteInt32BigEndian(_cdb.AsSpan(10), options.BlockBytes / 512);
        }

        public LatencyHistogram Latency { get; } = new();

        public long Measured { get; private set; }

        public long Errors { get; private set; }

        public string? FirstError { get; private set; }

        public async Task RunAsync()
        {
            long blocks = _options.BlockBytes / 512;
            long slots = _options.SpanBlocks / blocks;
            while (true)
            {
                long start = Stopwatch.GetTimestamp();
                if (start >= _end)
                {
                    return;
                }

                long lba = (long)(_random.NextUInt64() % (ulong)slots) * blocks;
                BinaryPrimitives.WriteInt64BigEndian(_cdb.AsSpan(2), lba);
                ScsiResult result;
                try
                {
                    result = await _initiator.ExecuteAsync(_options.TargetPortId, _options.Lun, _cdb, _data).ConfigureAwait(false);
                }
                catch (InitiatorException exception)
                {
                    Errors++;
                    FirstError ??= exception.Message;
                    return;
                }

                long stop = Stopwatch.GetTimestamp();
                if (!result.IsGood)
                {
                    Errors++;
                    FirstError ??= result.ToString();
                }

                if (start >= _warmupEnd && stop <= _end)
                {
                    Measured++;
                    Latency.Record((long)((stop - start) * (1e9 / Stopwatch.Frequency)));
                }
            }
        }
    }
}
