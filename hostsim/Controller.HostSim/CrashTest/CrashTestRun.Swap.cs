// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.Firmware.Pairs;
using Controller.HostSim.Hosts;
using Controller.HostSim.Pairs;
using Controller.Initiator;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The determining-swap scenario: a determining remote pair from SS1 (this run's controller) to SS2 (a second
/// controllerd), made fresh in its round under the load, split (armed), then the swap resync sent to SS2 (its S-VOL
/// side: the takeover), and SS1, SS2 or both killed at a seeded moment before or after its answer. After the restart
/// the two rows must agree on the roles and show states the remote restart table allows; the new (or still) P-VOL must
/// hold what the host may expect; the pair is brought to PAIR, S compared with P, and deleted, so that the volume at
/// SS1 is a plain volume of the load again until the next such round.
/// </summary>
internal sealed partial class CrashTestRun
{
    private readonly SwapTopology? _swap;
    private readonly ICrashTarget? _ss2;
    private HostConnections? _ss2Hosts;
    private readonly PairModel? _remote;
    private SwapRound? _swapRound;
    private double _swapMicroseconds = 20_000;

    // Set by the swap driver for its round: SS1 is not killed (only SS2 is), or SS2 is killed (too).
    private bool _spareSs1;
    private bool _ss2Killed;

    // Volatile: read by the load's loops, written by the driver: once the swap is sent, SS1's volume may refuse writes.
    private volatile bool _swapSent;

    // The ledger's index of the determining pair's volume (its P-VOL as made, at SS1): after the configuration's P-VOLs.
    private int RemoteVolume => _topology.PVols.Count;

    private async Task StartSs2Async()
    {
        _ss2Hosts = await _ss2!.StartAsync().ConfigureAwait(false);
    }

    // Waits until both daemons' remote-copy paths are up again (each reconnects every second while its peer is away).
    // By the time this runs the restart is done, so a path broken by the kill has long logged that it is down.
    private async Task WaitForLinksAsync()
    {
        long start = Stopwatch.GetTimestamp();
        ICrashTarget ss2 = _ss2!;
        while (!_target.RemoteCopyPathUp || !ss2.RemoteCopyPathUp)
        {
            if (Stopwatch.GetElapsedTime(start) > s_patience)
            {
                throw new CrashTestException("the remote-copy paths between SS1 and SS2 did not come up within " + s_patience.TotalSeconds + " s (SS1's " + (_target.RemoteCopyPathUp ? "up" : "down") + ", SS2's " + (ss2.RemoteCopyPathUp ? "up" : "down") + ")");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private async Task<PairClient> Ss1ClientAsync()
    {
        InitiatorPort port = await WithinAsync(_hosts!.GetAsync(CommandInitiator, CrashTopology.PortId), "the login to SS1's port 0x400104").ConfigureAwait(false);
        return new PairClient(port, new Controller.Traces.TraceVolume(CrashTopology.PortId, CrashTopology.CommandDeviceLun), findCommandDevice: false);
    }

    private async Task<PairClient> Ss2ClientAsync()
    {
        InitiatorPort port = await WithinAsync(_ss2Hosts!.GetAsync(CommandInitiator, SwapTopology.Ss2PortId), "the login to SS2's port 0x421014").ConfigureAwait(false);
        return new PairClient(port, new Controller.Traces.TraceVolume(SwapTopology.Ss2PortId, CrashTopology.CommandDeviceLun), findCommandDevice: false);
    }

    // A write the load sent to SS1's volume after the swap was sent may be refused DATA PROTECT: the volume is the S-VOL.
    private bool MayRefuse(int volume, Controller.Initiator.ScsiResult result)
    {
        return volume == RemoteVolume && _swapSent && result.Sense is { Key: Controller.Wire.SenseData.DataProtect, Code: 0x27 };
    }

    private async Task<Driven> DeterminingSwapAsync()
    {
        SwapTopology swap = _swap!;
        PairModel remote = _remote!;
        await WaitForLinksAsync().ConfigureAwait(false);
        PairClient atSs1 = await Ss1ClientAsync().ConfigureAwait(false);
        PairClient atSs2 = await Ss2ClientAsync().ConfigureAwait(false);

        // Made fresh (its volumes plain since the last such round), copied to PAIR under the load, split: armed.
        await ExpectGoodAsync(atSs1, CopyManagementRequest.ForPairCreate(swap.Made, fence: 0, noCopy: false, determining: true), "PAIR CREATE (determining) " + remote.Name).ConfigureAwait(false);
        await WaitForStateAsync(atSs1, remote, PairState.Pair).ConfigureAwait(false);
        await WarmUpAsync().ConfigureAwait(false);
        SplitRecord split = new("PAIR SPLIT " + remote.Name, [remote], _ledger.Tick());
        await ExpectGoodAsync(atSs1, CopyManagementRequest.ForPairSplit(swap.Made, readWrite: false), split.Description).ConfigureAwait(false);
        split.AnsweredAt = _ledger.Tick();
        await WarmUpAsync().ConfigureAwait(false);

        // Who dies: SS1 (the owner), SS2 (the requester, which serves the host's command) or both; odd runs after the
        // answer (up to 20 ms: the copy back runs), even runs anywhere in the latency swaps had so far.
        int victims = _random.Next(3);
        _spareSs1 = victims == 1;
        _ss2Killed = victims != 0;
        string who = victims switch { 0 => "SS1", 1 => "SS2", _ => "SS1 and SS2" };
        ICrashTarget ss2 = _ss2!;
        Action kill = victims switch
        {
            0 => _target.Kill,
            1 => ss2.Kill,
            _ => KillBoth,
        };
        bool afterTheAnswer = _tallies[CrashScenario.DeterminingSwap].Runs % 2 == 1;
        double after = _random.NextDouble() * (afterTheAnswer ? 20_000 : _swapMicroseconds);
        string what = "PAIR SWAP RESYNC " + remote.Name + " at SS2";
        _swapSent = true;
        long sent = Stopwatch.GetTimestamp();
        Task<ScsiResult> answer = atSs2.ExecuteAsync(CopyManagementRequest.ForPair(CopyManagementOpcode.PairSwapResync, swap.Made));
        Task? killed = afterTheAnswer ? null : KillTimer.KillAtAsync(KillTimer.After(sent, after), kill);
        ScsiResult? result = null;
        try
        {
            result = await WithinAsync(answer, what).ConfigureAwait(false);
        }
        catch (InitiatorException)
        {
            // SS2 died first: the swap is in doubt.
        }

        double microseconds = Stopwatch.GetElapsedTime(sent).TotalMicroseconds;
        bool answered = result is { IsGood: true };
        bool killedFirst = killed is { IsCompleted: true };
        killed ??= KillTimer.KillAtAsync(KillTimer.After(Stopwatch.GetTimestamp(), after), kill);
        await WithinAsync(killed, "the kill").ConfigureAwait(false);
        if (result is ScsiResult refused && !refused.IsGood && !(killedFirst && !_spareSs1))
        {
            // Refused with both sides alive (PSUS, armed: FIG 4 says NORMAL END at the S-VOL). Only the owner's death
            // first may refuse it (the link to the owner went): then it is in doubt, the owner may have taken it.
            throw new CrashTestException(what + " was refused: " + PairClient.Describe(refused));
        }

        _swapMicroseconds = answered ? (_swapMicroseconds + microseconds) / 2 : Math.Max(_swapMicroseconds, after * 1.25);
        _swapRound = new SwapRound(split, answered);
        string outcome = result is ScsiResult { IsGood: false } no ? "; refused after the kill: " + PairClient.Describe(no) : string.Empty;
        return new Driven(afterTheAnswer ? microseconds + after : after, "PAIR SWAP RESYNC (" + who + " killed" + outcome + ")", answered, microseconds);
    }

    private void KillBoth()
    {
        _ss2!.Kill();
        _target.Kill();
    }

    // After the restart of the swap round: the rows, the data, then PAIR, S = P and the pair deleted. Returns what
    // the determining pair's volume at SS1 holds (the ledger's next base) and the rows as seen.
    private async Task<(long[] Held, string Rows)> VerifySwapAsync(SwapRound round)
    {
        SwapTopology swap = _swap!;
        PairModel remote = _remote!;
        await WaitForLinksAsync().ConfigureAwait(false);
        PairClient atSs1 = await Ss1ClientAsync().ConfigureAwait(false);
        PairClient atSs2 = await Ss2ClientAsync().ConfigureAwait(false);
        PairStatusRow? one = await RowAsync(atSs1).ConfigureAwait(false);
        PairStatusRow? two = await RowAsync(atSs2).ConfigureAwait(false);
        string rows = "SS1 " + SwapVerifier.Describe(one) + ", SS2 " + SwapVerifier.Describe(two);
        SwapSides sides = SwapVerifier.Check(swap.Made, one, two, round.Answered, Findings);
        if (sides == SwapSides.TwoSVols)
        {
            // The host had no answer: it sends the swap again. The owner already took it, so the requester must now
            // own the pair: the rows must say After.
            await ExpectGoodAsync(atSs2, CopyManagementRequest.ForPair(CopyManagementOpcode.PairSwapResync, swap.Made), "PAIR SWAP RESYNC " + remote.Name + " at SS2, sent again (two S-VOL rows)").ConfigureAwait(false);
            one = await RowAsync(atSs1).ConfigureAwait(false);
            two = await RowAsync(atSs2).ConfigureAwait(false);
            rows += "; swap sent again: SS1 " + SwapVerifier.Describe(one) + ", SS2 " + SwapVerifier.Describe(two);
            sides = SwapVerifier.Classify(swap.Made, one, two);
            if (sides != SwapSides.After)
            {
                Findings.RoleViolations++;
                Findings.Describe("determining pair " + swap.Made + ": the swap sent again did not make SS2 the owner: " + rows);
                return (CrashVerifier.CheckVolume(_ledger, RemoteVolume, swap.Ss1Volume + " (determining P-VOL as made)", await ReadVolumeAsync(_hosts!, swap.Ss1Volume).ConfigureAwait(false), Findings), rows);
            }
        }

        if (sides == SwapSides.Before)
        {
            return (await NotSwappedAsync(round, atSs1, one!.Value, two!.Value).ConfigureAwait(false), rows);
        }

        if (sides == SwapSides.After)
        {
            return (await SwappedAsync(round, atSs2, two!.Value).ConfigureAwait(false), rows);
        }

        // Inconsistent: found and reported; the P-VOL as made is what the next round starts from.
        return (CrashVerifier.CheckVolume(_ledger, RemoteVolume, swap.Ss1Volume + " (determining P-VOL as made)", await ReadVolumeAsync(_hosts!, swap.Ss1Volume).ConfigureAwait(false), Findings), rows);
    }

    // Not swapped: SS1's volume is still the P-VOL, with every acknowledged write; SS2's is the split's image.
    private async Task<long[]> NotSwappedAsync(SwapRound round, PairClient atSs1, PairStatusRow one, PairStatusRow two)
    {
        SwapTopology swap = _swap!;
        PairModel remote = _remote!;
        byte[] pImage = await ReadVolumeAsync(_hosts!, swap.Ss1Volume).ConfigureAwait(false);
        long[] held = CrashVerifier.CheckVolume(_ledger, RemoteVolume, swap.Ss1Volume + " (determining P-VOL, not swapped)", pImage, Findings);
        if ((PairState)two.State == PairState.Psus)
        {
            byte[] splitImage = await ReadVolumeAsync(_ss2Hosts!, swap.Ss2Volume).ConfigureAwait(false);
            CrashVerifier.CheckSplitImage(_ledger, round.Split, [splitImage], Findings);
        }

        if ((PairState)one.State == PairState.Psus)
        {
            // FIG 4: a resync at the P-VOL of an armed pair is NORMAL END.
            await ExpectGoodAsync(atSs1, CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, swap.Made), "PAIR RESYNC " + remote.Name + " after the restart").ConfigureAwait(false);
            await WaitForStateAsync(atSs1, remote, PairState.Pair).ConfigureAwait(false);
            byte[] sImage = await ReadVolumeAsync(_ss2Hosts!, swap.Ss2Volume).ConfigureAwait(false);
            CrashVerifier.CheckEqual(remote, pImage, sImage, "after the resync", Findings);
        }

        await ExpectGoodAsync(atSs1, CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, swap.Made), "PAIR DELETE " + remote.Name).ConfigureAwait(false);
        return held;
    }

    // Swapped: SS2's volume is the P-VOL, and it holds the split's image (the takeover gives up what SS1's volume took
    // after the split: those tracks are copied over from the new P-VOL). Brought to PAIR (a PSUE determining pair
    // cannot be resynced, FIG 4: deleted and made again from SS2), compared, deleted.
    private async Task<long[]> SwappedAsync(SwapRound round, PairClient atSs2, PairStatusRow two)
    {
        SwapTopology swap = _swap!;
        PairModel turned = new(swap.Swapped + " (determining, swapped)", swap.Swapped, RemoteVolume);
        byte[] pImage = await ReadVolumeAsync(_ss2Hosts!, swap.Ss2Volume).ConfigureAwait(false);
        PairModel taken = new(_remote!.Name + " taken over at SS2", swap.Made, RemoteVolume);
        CrashVerifier.CheckSplitImage(_ledger, new SplitRecord(round.Split.Description + ", then the swap resync", [taken], round.Split.IssuedAt) { AnsweredAt = round.Split.AnsweredAt }, [pImage], Findings);
        long[] held = HeldBy(pImage);
        if ((PairState)two.State == PairState.Psue)
        {
            await ExpectGoodAsync(atSs2, CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, swap.Swapped), "PAIR DELETE " + turned.Name + " (PSUE)").ConfigureAwait(false);
            await ExpectGoodAsync(atSs2, CopyManagementRequest.ForPairCreate(swap.Swapped, fence: 0, noCopy: false, determining: true), "PAIR CREATE " + turned.Name + " again").ConfigureAwait(false);
        }

        await WaitForStateAsync(atSs2, turned, PairState.Pair).ConfigureAwait(false);
        byte[] sImage = await ReadVolumeAsync(_hosts!, swap.Ss1Volume).ConfigureAwait(false);
        CrashVerifier.CheckEqual(turned, pImage, sImage, "after the swap resync's copy", Findings);
        await ExpectGoodAsync(atSs2, CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, swap.Swapped), "PAIR DELETE " + turned.Name).ConfigureAwait(false);
        return held;
    }

    // The determining pair's row at a subsystem, in either orientation.
    private async Task<PairStatusRow?> RowAsync(PairClient client)
    {
        PairStatusRow? row = await WithinAsync(client.FindAsync(_swap!.Made), "PAIR STATUS").ConfigureAwait(false);
        return row ?? await WithinAsync(client.FindAsync(_swap.Swapped), "PAIR STATUS").ConfigureAwait(false);
    }

    // The write each block of an image holds (a block found wrong was counted by the check that read it).
    private long[] HeldBy(byte[] image)
    {
        long[] held = new long[image.Length / 512];
        for (int lba = 0; lba < held.Length; lba++)
        {
            CrashVerifier.Read(image.AsSpan(lba * 512, 512), RemoteVolume, lba, out held[lba]);
        }

        return held;
    }

    // What the swap round's driver leaves for the verification after the restart.
    private sealed record SwapRound(SplitRecord Split, bool Answered);
}
