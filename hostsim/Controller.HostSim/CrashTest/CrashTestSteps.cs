// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Hosts;
using Controller.HostSim.Pairs;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The crash test's steps against a controller, each bounded in time so that a run never hangs (it fails naming the
/// step), and each refusal a <see cref="CrashTestException"/>: the pair commands, the wait for a pair state, the
/// whole-volume read, the mirrors' naming. Shared by the run, its scenario drivers and its checks.
/// </summary>
internal static class CrashTestSteps
{
    /// <summary>The host port the pair commands and the reads come from.</summary>
    public const int CommandInitiator = TraceImporter.DefaultInitiatorPortId;

    /// <summary>How long any one step may take (an answer, the load's end, a kill).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan s_copyPatience = TimeSpan.FromSeconds(120);

    /// <summary>Waits for a step, at most <see cref="Patience"/>.</summary>
    /// <param name="step">The step.</param>
    /// <param name="what">The step, for the failure.</param>
    /// <returns>A task that completes with the step.</returns>
    /// <remarks>
    /// ForceYielding: the run goes on on the thread pool, never inline on a socket's event thread (hostsim completes
    /// socket operations inline), which a blocked or busy step would hold, and with it the answers it waits for.
    /// </remarks>
    public static async Task WithinAsync(Task step, string what)
    {
        try
        {
            await step.WaitAsync(Patience).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
        catch (TimeoutException)
        {
            throw new CrashTestException(what + " did not come within " + Patience.TotalSeconds + " s");
        }
    }

    /// <summary>Waits for a step's answer, at most <see cref="Patience"/>.</summary>
    /// <typeparam name="T">The answer.</typeparam>
    /// <param name="step">The step.</param>
    /// <param name="what">The step, for the failure.</param>
    /// <returns>The answer.</returns>
    public static async Task<T> WithinAsync<T>(Task<T> step, string what)
    {
        try
        {
            return await step.WaitAsync(Patience).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
        catch (TimeoutException)
        {
            throw new CrashTestException(what + ": no answer within " + Patience.TotalSeconds + " s");
        }
    }

    /// <summary>Sends a pair command that must be answered GOOD.</summary>
    /// <param name="client">The command device's client.</param>
    /// <param name="request">The command.</param>
    /// <param name="what">The command, for the failure.</param>
    /// <returns>A task that completes with its GOOD.</returns>
    public static async Task ExpectGoodAsync(PairClient client, CopyManagementRequest request, string what)
    {
        ScsiResult result = await WithinAsync(client.ExecuteAsync(request), what).ConfigureAwait(false);
        if (!result.IsGood)
        {
            throw new CrashTestException(what + " was refused: " + PairClient.Describe(result));
        }
    }

    /// <summary>Waits until a pair shows a state (a copy may take up to 120 s).</summary>
    /// <param name="client">The command device's client.</param>
    /// <param name="pair">The pair.</param>
    /// <param name="state">The state.</param>
    /// <returns>Its row in that state.</returns>
    public static async Task<PairStatusRow?> WaitForStateAsync(PairClient client, PairModel pair, PairState state)
    {
        (PairStatusRow? row, bool reached) = await client.WaitForStateAsync(pair.Pair, state, s_copyPatience).WaitAsync(s_copyPatience + Patience).ConfigureAwait(false);
        if (!reached)
        {
            throw new CrashTestException(pair.Name + " did not reach " + PairStateNames.Of(state) + " within " + s_copyPatience.TotalSeconds + " s (it is " + (row is PairStatusRow found ? PairStateNames.Of((PairState)found.State) : "not in the table") + ")");
        }

        return row;
    }

    /// <summary>Logs in to the command device of the run's controller (SS1).</summary>
    /// <param name="hosts">The hosts' connections to it.</param>
    /// <returns>Its client.</returns>
    public static async Task<PairClient> ClientAsync(HostConnections hosts)
    {
        InitiatorPort port = await WithinAsync(hosts.GetAsync(CommandInitiator, CrashTopology.PortId), "the login to port 0x400104").ConfigureAwait(false);
        return new PairClient(port, new TraceVolume(CrashTopology.PortId, CrashTopology.CommandDeviceLun), findCommandDevice: false);
    }

    /// <summary>Reads a whole volume in 1 MiB READ(16)s.</summary>
    /// <param name="hosts">The hosts' connections to its controller.</param>
    /// <param name="volume">The volume.</param>
    /// <param name="blocks">Its size in blocks.</param>
    /// <returns>Its image.</returns>
    public static async Task<byte[]> ReadVolumeAsync(HostConnections hosts, TraceVolume volume, long blocks)
    {
        const int ChunkBlocks = 2048;
        InitiatorPort port = await WithinAsync(hosts.GetAsync(CommandInitiator, volume.PortId), "the login to port 0x" + volume.PortId.ToString("X6", System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        byte[] image = new byte[blocks * 512];
        for (long lba = 0; lba < blocks; lba += ChunkBlocks)
        {
            int count = (int)Math.Min(ChunkBlocks, blocks - lba);
            ScsiResult read = await WithinAsync(port.ExecuteAsync(volume.PortId, volume.Lun, Controller.Wire.Scsi.BlockCdb.Create(Controller.Wire.Scsi.BlockCdb.Read16, lba, (uint)count), dataIn: image.AsMemory((int)(lba * 512), count * 512)).AsTask(), "READ(16) of " + volume + " at LBA " + lba).ConfigureAwait(false);
            if (!read.IsGood)
            {
                throw new CrashTestException("READ(16) of " + volume + " at LBA " + lba + ": " + read);
            }
        }

        return image;
    }

    /// <summary>
    /// NAME MIRRORS of the mirrors, all in PAIR: answered only once it, and every change before it (a copy that
    /// reached PAIR), is committed, so from its answer the kept state of every mirror is PAIR.
    /// </summary>
    /// <param name="client">The command device's client.</param>
    /// <param name="topology">The mirrors.</param>
    /// <returns>A task that completes with its GOOD.</returns>
    public static async Task NameMirrorsAsync(PairClient client, CrashTopology topology)
    {
        WirePair[] members = new WirePair[topology.Mirrors.Count];
        for (int i = 0; i < members.Length; i++)
        {
            members[i] = topology.Mirrors[i].Pair;
        }

        await ExpectGoodAsync(client, CopyManagementRequest.ForNameMirrors(CrashTopology.MirrorName, members), "NAME MIRRORS " + CrashTopology.MirrorName).ConfigureAwait(false);
        foreach (PairModel mirror in topology.Mirrors)
        {
            mirror.Answered(PairState.Pair);
        }
    }

    /// <summary>20-100 ms more of the round's load.</summary>
    /// <param name="random">The run's seeded choices.</param>
    /// <returns>A task that completes after it.</returns>
    public static Task WarmUpAsync(Random random)
    {
        return Task.Delay(TimeSpan.FromMilliseconds(20 + random.Next(80)));
    }
}
