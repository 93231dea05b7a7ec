// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.Scheduling;
using Controller.Initiator;
using Controller.Target;
using Controller.Wire.Diagnostics;
using Controller.Wire.Transport;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// The embedded controller a fuzz run attacks (<see cref="FuzzTopology"/>), and the checks made through real
/// in-process initiators: the canary written before the run and read back after it, and a host that can still
/// log in and get TEST UNIT READY GOOD.
/// </summary>
public sealed class FuzzController : IDisposable
{
    /// <summary>The blocks of each canary write: one at the start of the canary LDEV, one at its end.</summary>
    public const int CanaryExtentBlocks = 64;

    private const int BlockSize = 512;

    private readonly FuzzExecution _execution;

    /// <summary>Initializes the controller.</summary>
    /// <param name="log">Receives the port front's log.</param>
    /// <param name="execution">Where its MPs, timers and connections run.</param>
    public FuzzController(Action<string> log, FuzzExecution execution)
    {
        _execution = execution;
        Subsystem = new StorageSubsystem(execution.Scheduler, new SubsystemOptions { MpCount = 2 });
        TargetPort a = new(new PortId(FuzzTopology.PortA));
        TargetPort b = new(new PortId(FuzzTopology.PortB));
        TargetPort canary = new(new PortId(FuzzTopology.CanaryPort));
        List<Lun> aLuns = [];
        for (ushort n = 1; n <= FuzzTopology.FuzzLuns; n++)
        {
            Subsystem.CreateLdev(new LdevId(n), FuzzTopology.LdevBlocks);
            (FuzzTopology.PortOf(n) == FuzzTopology.PortA ? a : b).MapLun(new Lun(n), new LdevId(n));
            if (FuzzTopology.PortOf(n) == FuzzTopology.PortA)
            {
                aLuns.Add(new Lun(n));
            }
        }

        Subsystem.CreateLdev(new LdevId(FuzzTopology.CanaryLdev), FuzzTopology.CanaryBlocks);
        canary.MapLun(new Lun(1), new LdevId(FuzzTopology.CanaryLdev));
        PortId fuzzHost = new(FuzzTopology.FuzzHost);
        a.AddHostGroup(new HostGroup("fuzz", [fuzzHost], aLuns));
        b.AddHostGroup(new HostGroup("fuzz", [fuzzHost], [new Lun(5)]));
        canary.AddHostGroup(new HostGroup("canary", [new PortId(FuzzTopology.CanaryHost)], [new Lun(1)]));
        a.SetLunSecurity(true);
        b.SetLunSecurity(true);
        canary.SetLunSecurity(true);
        // No wall-clock timeouts: a connection's fate must follow from the inputs alone (a run replays from its seed),
        // and the inputs keep connections without a login or with a half frame on purpose.
        FrontEnd = new ControllerFrontEnd(Subsystem, [a, b, canary], new TargetOptions
        {
            LoggerFactory = new LineLogger(log),
            Limits = new ConnectionLimits { LoginTimeout = null, FrameTimeout = null, SendTimeout = null, IdleTimeout = null },
        });
    }

    /// <summary>Gets the controller.</summary>
    public StorageSubsystem Subsystem { get; }

    /// <summary>Gets its port front.</summary>
    public ControllerFrontEnd FrontEnd { get; }

    /// <summary>Gets the LBAs of the canary writes.</summary>
    public static long[] CanaryLbas => [0, FuzzTopology.CanaryBlocks - CanaryExtentBlocks];

    /// <summary>Makes the canary's data: different for every extent and seed, so a misplaced block shows.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <returns>One buffer per <see cref="CanaryLbas"/> entry.</returns>
    public static byte[][] CanaryData(ulong seed)
    {
        SplitMix64 random = new(seed ^ 0xCA4A_4C00_0000_0001UL);
        byte[][] data = new byte[CanaryLbas.Length][];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = new byte[CanaryExtentBlocks * BlockSize];
            for (int at = 0; at < data[i].Length; at += 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(data[i].AsSpan(at), random.NextUInt64());
            }
        }

        return data;
    }

    /// <summary>Writes the canary as its host: login to the canary port, one WRITE(16) per extent, each GOOD.</summary>
    /// <param name="data">From <see cref="CanaryData"/>.</param>
    /// <param name="patience">How long each step may take.</param>
    /// <returns>Null when every write was acknowledged GOOD, else what went wrong.</returns>
    public Task<string?> WriteCanaryAsync(byte[][] data, TimeSpan patience)
    {
        return AsInitiatorAsync(FuzzTopology.CanaryHost, FuzzTopology.CanaryPort, "canary writer", patience, async port =>
        {
            long[] lbas = CanaryLbas;
            for (int i = 0; i < lbas.Length; i++)
            {
                ScsiResult result = await port.ExecuteAsync(FuzzTopology.CanaryPort, 1, Cdb16(0x8A, lbas[i]), data[i]).AsTask().WaitAsync(patience).ConfigureAwait(false);
                if (!result.IsGood)
                {
                    return "WRITE(16) of the canary at LBA " + lbas[i] + " was answered " + result;
                }
            }

            return null;
        });
    }

    /// <summary>Reads the canary back as its host, on a fresh connection, and compares it.</summary>
    /// <param name="data">What was written.</param>
    /// <param name="patience">How long each step may take.</param>
    /// <returns>Null when every block is as written, else what differs.</returns>
    public Task<string?> CheckCanaryAsync(byte[][] data, TimeSpan patience)
    {
        return AsInitiatorAsync(FuzzTopology.CanaryHost, FuzzTopology.CanaryPort, "canary reader", patience, async port =>
        {
            long[] lbas = CanaryLbas;
            for (int i = 0; i < lbas.Length; i++)
            {
                byte[] back = new byte[data[i].Length];
                ScsiResult result = await port.ExecuteAsync(FuzzTopology.CanaryPort, 1, Cdb16(0x88, lbas[i]), dataIn: back).AsTask().WaitAsync(patience).ConfigureAwait(false);
                if (!result.IsGood)
                {
                    return "READ(16) of the canary at LBA " + lbas[i] + " was answered " + result;
                }

                int differs = data[i].AsSpan().CommonPrefixLength(back);
                if (differs != back.Length)
                {
                    return "the canary at LBA " + lbas[i] + " differs from what was written from byte " + differs.ToString("N0", CultureInfo.InvariantCulture) + " of its extent";
                }
            }

            return null;
        });
    }

    /// <summary>Logs in as the fuzz host on a fresh connection and runs TEST UNIT READY on port 0x400104, LUN 1.</summary>
    /// <param name="patience">How long each step may take.</param>
    /// <returns>Null when the answer is GOOD, else what happened.</returns>
    public Task<string?> CheckStillServingAsync(TimeSpan patience)
    {
        return AsInitiatorAsync(FuzzTopology.FuzzHost, FuzzTopology.PortA, "still serving", patience, async port =>
        {
            ScsiResult result = await port.ExecuteAsync(FuzzTopology.PortA, 1, new byte[6]).AsTask().WaitAsync(patience).ConfigureAwait(false);
            return result.IsGood ? null : "TEST UNIT READY was answered " + result;
        });
    }

    /// <summary>Waits until no host command is in flight on the MPs (commands the run left behind finish).</summary>
    /// <param name="patience">How long to wait in real time (a deterministic run first runs its scheduler until idle).</param>
    /// <returns>True when none is left.</returns>
    public bool Quiesce(TimeSpan patience)
    {
        _execution.Settle();
        DateTime deadline = DateTime.UtcNow + patience;
        while (Subsystem.HostCommandsInFlight != 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }

    /// <summary>Describes the MPs and the host commands in flight, for a failure's diagnostics.</summary>
    /// <returns>The text.</returns>
    public string Describe()
    {
        StringBuilder text = new();
        text.Append(CultureInfo.InvariantCulture, $"controller: {Subsystem.HostCommandsInFlight} host commands in flight");
        for (int i = 0; i < Subsystem.Mps.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $", MP {i} {Subsystem.Mps[i].QueuedCount} queued ({Subsystem.Mps[i].ExecutedCount:N0} run)");
        }

        foreach (MirrorPair pair in Subsystem.Pairs.GetPairs())
        {
            text.Append(CultureInfo.InvariantCulture, $", pair {pair.PVolAddress.ToCompactString()} -> {pair.SVolAddress.ToCompactString()} {pair.State} (copy {pair.CopyDirection}, {pair.TracksCopied} of {pair.CopyTotalTracks} tracks)");
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Subsystem.Dispose();
    }

    private static byte[] Cdb16(byte opcode, long lba)
    {
        byte[] cdb = new byte[16];
        cdb[0] = opcode;
        BinaryPrimitives.WriteInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteInt32BigEndian(cdb.AsSpan(10), CanaryExtentBlocks);
        return cdb;
    }

    // Runs one check as a real initiator on a fresh in-process connection; a refused login, a closed
    // connection or a timeout is the check's failure, with the reason. The check ends once the target has seen the
    // connection close too, so that its log of the check is complete.
    private async Task<string?> AsInitiatorAsync(int initiatorId, int targetId, string name, TimeSpan patience, Func<InitiatorPort, Task<string?>> check)
    {
        (DuplexPipe pipe, DuplexPipe target) = _execution.CreatePipes();
        TargetConnection connection = FrontEnd.Accept(target, name);
        Task<string?> served = _execution.Start(() => connection.RunAsync(CancellationToken.None));
        InitiatorPort port = new(pipe, initiatorId);
        string? problem;
        try
        {
            await port.LoginAsync(targetId).WaitAsync(patience).ConfigureAwait(false);
            problem = await check(port).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InitiatorException or TimeoutException)
        {
            problem = name + ": " + exception.Message;
        }
        finally
        {
            await port.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await served.WaitAsync(patience).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            problem ??= name + ": the target did not close the connection within " + patience.TotalSeconds + " s";
        }

        return problem;
    }
}
