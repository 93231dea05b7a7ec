// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Controller.Addressing;
using Controller.Firmware.Scheduling;
using Controller.Initiator;
using Controller.Wire;
using Controller.Wire.Els;

namespace Controller.HostSim.SlowReader;

/// <summary>
/// The slow-reader attack on a running controller (docs/controllerd.md, "Bounded resources"): attackers log in,
/// send many large READs and never read an answer, while a normal host runs 4 KiB I/O on another connection. The
/// controller's memory is its VmRSS from /proc/PID/status, sampled before, during and after; the normal host's IOPS
/// are measured without the attack and during it, in the same run.
/// </summary>
internal static class SlowReaderRun
{
    private const int SampleMilliseconds = 50;

    public static async Task<SlowReaderReport> RunAsync(SlowReaderOptions options, TextWriter progress)
    {
        await using InitiatorPort normal = await InitiatorPort.ConnectAsync(options.Target, options.InitiatorPortId).ConfigureAwait(false);
        await normal.LoginAsync(options.TargetPortId).ConfigureAwait(false);
        long capacity = await Hosts.ScsiQueries.ReadCapacityBlocksAsync(normal, options.TargetPortId, options.Lun).ConfigureAwait(false);
        long attackCapacity = await Hosts.ScsiQueries.ReadCapacityBlocksAsync(normal, options.TargetPortId, options.AttackLun).ConfigureAwait(false);
        if (attackCapacity * 512 < options.ReadBytes)
        {
            throw new InitiatorException("LUN 0x" + options.AttackLun.ToString("X4", CultureInfo.InvariantCulture) + " has " + attackCapacity + " blocks, fewer than one attacking READ");
        }

        // A second of load first: the controller's first commands (JIT, pools) belong to no phase.
        await MeasureAsync(normal, options, capacity, 1).ConfigureAwait(false);
        progress.WriteLine("normal load without the attack: " + options.Seconds + " s ...");
        (double iopsBefore, long errorsBefore, string? firstBefore) = await MeasureAsync(normal, options, capacity, options.Seconds).ConfigureAwait(false);
        long rssBefore = ReadRss(options.Pid);

        using CancellationTokenSource sampling = new();
        Task<long> peak = SamplePeakAsync(options.Pid, rssBefore, sampling.Token);
        List<Socket> attackers = [];
        long sent = 0;
        try
        {
            progress.WriteLine("attack: " + options.Connections + " connections, " + options.Reads + " READs of " + options.ReadBytes + " bytes each ...");
            List<Task<long>> sending = [];
            for (int i = 0; i < options.Connections; i++)
            {
                Socket socket = new(options.Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(options.Target).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    socket.Dispose();
                    continue;
                }

                attackers.Add(socket);
                sending.Add(SendAttackAsync(socket, options, (ushort)i));
            }

            // Let the queues fill, then measure the normal host while the attackers hold what they can.
            await Task.Delay(1000).ConfigureAwait(false);
            progress.WriteLine("normal load during the attack: " + options.Seconds + " s ...");
            (double iopsDuring, long errorsDuring, string? firstDuring) = await MeasureAsync(normal, options, capacity, options.Seconds).ConfigureAwait(false);
            foreach (Task<long> task in sending)
            {
                if (task.IsCompletedSuccessfully)
                {
                    sent += task.Result;
                }
            }

            await sampling.CancelAsync().ConfigureAwait(false);
            long rssPeak = await peak.ConfigureAwait(false);
            long rssAtLeave = ReadRss(options.Pid);
            foreach (Socket socket in attackers)
            {
                socket.Dispose();
            }

            int connected = attackers.Count;
            attackers.Clear();
            progress.WriteLine("attackers left; watching the controller's memory for " + options.ReturnSeconds + " s ...");
            long left = Stopwatch.GetTimestamp();
            double? returnedAfter = null;
            long rssAfter = rssAtLeave;
            while (true)
            {
                rssAfter = ReadRss(options.Pid);
                double elapsed = Stopwatch.GetElapsedTime(left).TotalSeconds;
                if (rssAfter <= rssBefore + options.ReturnMarginBytes)
                {
                    returnedAfter = elapsed;
                    break;
                }

                if (elapsed >= options.ReturnSeconds)
                {
                    break;
                }

                await Task.Delay(100).ConfigureAwait(false);
            }

            return new SlowReaderReport(options, rssBefore, rssPeak, rssAtLeave, rssAfter, returnedAfter, iopsBefore, iopsDuring, errorsBefore + errorsDuring, firstBefore ?? firstDuring, connected, sent);
        }
        finally
        {
            await sampling.CancelAsync().ConfigureAwait(false);
            foreach (Socket socket in attackers)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>Reads a process's resident set (VmRSS) from /proc/PID/status.</summary>
    /// <param name="pid">The process.</param>
    /// <returns>The bytes resident.</returns>
    public static long ReadRss(int pid)
    {
        foreach (string line in File.ReadLines("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(words[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidDataException("/proc/" + pid + "/status has no VmRSS line");
    }

    private static async Task<long> SamplePeakAsync(int pid, long start, CancellationToken cancellationToken)
    {
        long peak = start;
        while (!cancellationToken.IsCancellationRequested)
        {
            peak = Math.Max(peak, ReadRss(pid));
            try
            {
                await Task.Delay(SampleMilliseconds, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return Math.Max(peak, ReadRss(pid));
    }

    // One attacker: PLOGI, PRLI and then every READ, in one stream, as fast as the controller takes them; it
    // never reads a byte back. The send ends when everything is in the socket (or the controller closed it).
    private static async Task<long> SendAttackAsync(Socket socket, SlowReaderOptions options, ushort index)
    {
        using MemoryStream stream = new();
        byte[] plogi = new byte[ElsPayload.PortLoginLength];
        int attacker = options.AttackerPortIdBase + index;
        ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, 0x1000_0000_0000_0000UL | (uint)attacker, 0x2000_0000_0000_0000UL | index);
        Append(stream, Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, FcFrameControl.ElsRequest, 0xF001, options.TargetPortId, attacker), plogi);
        byte[] prli = new byte[ElsPayload.ProcessLoginLength];
        ElsPayload.WriteProcessLogin(prli, ElsCommand.ProcessLogin, ElsPayload.InitiatorFunction);
        Append(stream, Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, FcFrameControl.ElsRequest, 0xF002, options.TargetPortId, attacker), prli);
        byte[] cdb = new byte[16];
        cdb[0] = 0x88;
        BinaryPrimitives.WriteInt32BigEndian(cdb.AsSpan(10), options.ReadBytes / 512);
        byte[] command = new byte[FcpCommand.Length];
        for (int i = 0; i < options.Reads; i++)
        {
            FcpCommand.TryWrite(command, options.AttackLun, cdb, readData: true, writeData: false, (uint)options.ReadBytes);
            Append(stream, Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, FcFrameControl.Command, (ushort)i, options.TargetPortId, attacker), command);
        }

        byte[] bytes = stream.ToArray();
        long sent = 0;
        try
        {
            while (sent < bytes.Length)
            {
                sent += await socket.SendAsync(bytes.AsMemory((int)sent), SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Closed by the controller (a timeout) or by us at the end: what was sent is counted.
        }

        return sent / Math.Max(bytes.Length / (options.Reads + 2), 1);
    }

    private static FcFrameHeader Header(byte routingControl, byte type, int frameControl, ushort exchangeId, int targetPortId, int initiatorPortId)
    {
        return new FcFrameHeader
        {
            RoutingControl = routingControl,
            DestinationId = new PortId((uint)targetPortId),
            SourceId = new PortId((uint)initiatorPortId),
            Type = type,
            FrameControl = frameControl,
            OriginatorExchangeId = exchangeId,
            ResponderExchangeId = 0xFFFF,
        };
    }

    private static void Append(MemoryStream stream, in FcFrameHeader header, byte[] payload)
    {
        byte[] frame = new byte[FcFrameHeader.Length + payload.Length];
        header.TryWrite(frame);
        payload.CopyTo(frame, FcFrameHeader.Length);
        byte[] encoded = new byte[FcipEncapsulation.EncodedLength(frame.Length)];
        FcipEncapsulation.TryWrite(frame, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 0, 0, encoded, out _);
        stream.Write(encoded);
    }

    // The normal host: QD workers, each a 4 KiB READ or WRITE (by turns) at a random aligned LBA, for a time.
    private static async Task<(double Iops, long Errors, string? FirstError)> MeasureAsync(InitiatorPort initiator, SlowReaderOptions options, long capacityBlocks, double seconds)
    {
        long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        long start = Stopwatch.GetTimestamp();
        long[] done = new long[options.QueueDepth];
        long errors = 0;
        string? firstError = null;
        Task[] workers = new Task[options.QueueDepth];
        long slots = Math.Max(capacityBlocks / 8, 1);
        for (int w = 0; w < workers.Length; w++)
        {
            int worker = w;
            workers[w] = Task.Run(async () =>
            {
                SplitMix64 random = new((ulong)worker + 1);
                byte[] data = new byte[4096];
                byte[] cdb = new byte[16];
                BinaryPrimitives.WriteInt32BigEndian(cdb.AsSpan(10), 8);
                for (long n = 0; Stopwatch.GetTimestamp() < end; n++)
                {
                    cdb[0] = (n & 1) == 0 ? (byte)0x88 : (byte)0x8A;
                    BinaryPrimitives.WriteInt64BigEndian(cdb.AsSpan(2), (long)(random.NextUInt64() % (ulong)slots) * 8);
                    try
                    {
                        ScsiResult result = cdb[0] == 0x88
                            ? await initiator.ExecuteAsync(options.TargetPortId, options.Lun, cdb, dataIn: data).ConfigureAwait(false)
                            : await initiator.ExecuteAsync(options.TargetPortId, options.Lun, cdb, dataOut: data).ConfigureAwait(false);
                        if (!result.IsGood)
                        {
                            Interlocked.Increment(ref errors);
                            Interlocked.CompareExchange(ref firstError, result.ToString(), null);
                        }
                    }
                    catch (InitiatorException exception)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, exception.Message, null);
                        return;
                    }

                    done[worker]++;
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long total = 0;
        foreach (long count in done)
        {
            total += count;
        }

        return (total / elapsed, errors, firstError);
    }
}
