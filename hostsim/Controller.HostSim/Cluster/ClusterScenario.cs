// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Cluster;

/// <summary>
/// The named cluster scenarios of seed 002 (FIG 7 to FIG 13 and R2-22 to R2-27): each builds an armed site, makes
/// its failure, records the steps as the figure captions show them (the determining pair's state on each side), and
/// checks who won. The hosts decide by themselves, by their heartbeat timeouts: where a scenario needs one host to
/// reserve first, the other's timeout is longer by the stagger.
/// </summary>
internal sealed record ClusterScenario(string Name, string Title, string Requirements, string ExpectedWinner, bool H1First, bool H2First, Func<ClusterRun, ClusterOutcome, Task> Script)
{
    /// <summary>Gets whether the scenario cuts the link or fails SD1 (so it needs the embedded site).</summary>
    public bool InjectsStorageFaults => Name is "site-failure" or "site-failure-operator" or "link-down";

    public static readonly IReadOnlyList<ClusterScenario> All =
    [
        new("case-a", "FIG 7 -> 8 -> 9: the heartbeat fails and H1 (P-VOL side) reserves first", "R2-22", "H1", true, false, CaseAAsync),
        new("case-b", "FIG 10 -> 11 -> 12 -> 13: re-armed, then H2 (S-VOL side) reserves first and takes the data pair over", "R2-23 R2-17 R2-19 R2-20", "H2", false, true, CaseBAsync),
        new("h1-crash", "H1 crashes, SD1 and the link stay up: only H2 reserves, wins and takes over", "R2-24", "H2", false, false, H1CrashAsync),
        new("site-failure", "H1, SD1 and the link fail together: H2's swap resync ends abnormally, nobody takes over", "R2-25 R2-10", "none", false, false, SiteFailureAsync),
        new("site-failure-operator", "as site-failure, then an operator forces the S-VOL takeover explicitly", "R2-25 R2-19", "none", false, false, SiteFailureOperatorAsync),
        new("heartbeat-only", "only the heartbeat fails, both hosts and the link up: both reserve at once, exactly one wins", "R2-26 R2-9", "either", false, false, HeartbeatOnlyAsync),
        new("link-down", "the heartbeat and the remote-copy link fail together: both reserves end abnormally", "R2-10 R2-16", "none", false, false, LinkDownAsync),
        new("repeated", "repeated arbitrations, the first host alternating, re-armed by the winner each time", "R2-27 R2-17 R2-21", "alternating", true, false, RepeatedAsync),
    ];

    public static ClusterScenario? Find(string name)
    {
        foreach (ClusterScenario scenario in All)
        {
            if (scenario.Name == name)
            {
                return scenario;
            }
        }

        return null;
    }

    /// <summary>Runs the scenario once.</summary>
    /// <param name="options">The configuration.</param>
    /// <returns>The report.</returns>
    public async Task<ClusterReport> RunAsync(ClusterOptions options)
    {
        TimeSpan fast = options.Timing.Timeout;
        TimeSpan slow = fast + options.Timing.Stagger;
        bool h1First = H1First || options.First == 1;
        bool h2First = H2First || options.First == 2;
        await using ClusterRun run = await ClusterRun.StartAsync(options, h2First ? slow : fast, h1First ? slow : fast).ConfigureAwait(false);

        ClusterOutcome outcome = new();
        string? failure = null;
        try
        {
            await run.StepAsync("FIG 7", "initial state: H1 runs the application on PV, H2 is standby; the determining pair is armed" + (run.Leftovers > 0 ? " (" + run.Leftovers + " pairs of an earlier run deleted first)" : string.Empty)).ConfigureAwait(false);
            await Script(run, outcome).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or Initiator.InitiatorException)
        {
            failure = e.Message;
        }

        // Against daemons the pairs outlive the run: a swap took their name off, and the next run knows them by it.
        if (options.Sd1 is not null)
        {
            try
            {
                await run.NameAgainAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or Initiator.InitiatorException)
            {
                failure ??= e.Message;
            }
        }

        return new ClusterReport(this, options, run.Steps, run.Events, run.Commands, outcome, run.InvariantHeld, failure, Times(run.H1.TakeoverTime, run.H2.TakeoverTime), Times(run.H1.ReserveAndTakeoverTime, run.H2.ReserveAndTakeoverTime))
        {
            HeartbeatTimeouts = (run.H1.Timeout, run.H2.Timeout),
            CopyBytesPerSecond = [run.Site.PaceOf(1)?.BytesPerSecond, run.Site.PaceOf(2)?.BytesPerSecond],
        };
    }

    private static TimeSpan[] Times(TimeSpan? h1, TimeSpan? h2)
    {
        return [.. new[] { h1, h2 }.Where(t => t is not null).Select(t => t!.Value)];
    }

    private static async Task CaseAAsync(ClusterRun run, ClusterOutcome outcome)
    {
        run.Heartbeat.Cut();
        bool h1 = await run.DecisionOfAsync(run.H1).ConfigureAwait(false);
        await run.WaitForBothAsync(ClusterSite.DeterminingLun, PairState.Pair).ConfigureAwait(false);
        await run.StepAsync("FIG 8", "heartbeat lost; H1's RESERVE: PVC1 sends PAIR RESYNCHRONIZATION to DV1 (P-VOL, suspended normal)").ConfigureAwait(false);
        bool h2 = await run.DecisionOfAsync(run.H2).ConfigureAwait(false);
        await run.StepAsync("FIG 9", "H2's RESERVE: PVC2 sends PAIR SWAP RESYNCHRONIZATION to DV2, an S-VOL of a paired pair").ConfigureAwait(false);

        // The owner defends its reservation: periodically by itself, and once more here.
        int sent = run.H1.Pvc.StorageCommands;
        int defenses = run.H1.Pvc.ReReserves;
        TimeSpan every = run.Options.Timing.ReReserveInterval;
        if (every > TimeSpan.Zero)
        {
            await Task.Delay(every * 4).ConfigureAwait(false);
        }

        bool defended = await run.H1.Pvc.ReserveAsync().ConfigureAwait(false);
        await run.StepAsync("FIG 9", "H1 re-reserves (the owner's defense: " + (run.H1.Pvc.ReReserves - defenses) + " periodic re-reserves meanwhile, and this one)").ConfigureAwait(false);

        outcome.Winner = h1 && !h2 ? "H1" : h2 && !h1 ? "H2" : "none";
        outcome.Check("H1's RESERVE ended normally", h1);
        outcome.Check("H2's RESERVE ended abnormally", !h2);
        outcome.Check("H1 keeps running, H2 stays standby", run.H1.Online && !run.H2.Online);
        outcome.Check("the owner's re-reserves succeed without a storage command", defended && run.H1.Pvc.StorageCommands == sent && (every == TimeSpan.Zero || run.H1.Pvc.ReReserves > defenses));
        CheckDeterminingHeldBy(run, outcome, 1);
    }

    private static async Task CaseBAsync(ClusterRun run, ClusterOutcome outcome)
    {
        // As at the end of case A: H1 holds the determining pair; its RELEASE re-arms it (FIG 6, FIG 10).
        bool held = await run.H1.Pvc.ReserveAsync().ConfigureAwait(false);
        await run.WaitForBothAsync(ClusterSite.DeterminingLun, PairState.Pair).ConfigureAwait(false);
        await run.StepAsync("FIG 9", "H1 holds the determining pair (as at the end of case A)").ConfigureAwait(false);
        bool released = await run.H1.Pvc.ReleaseAsync().ConfigureAwait(false);
        await run.WaitForBothAsync(ClusterSite.DeterminingLun, PairState.Psus).ConfigureAwait(false);
        await run.StepAsync("FIG 10", "H1's RELEASE: PVC1 splits the determining pair, re-arming it").ConfigureAwait(false);

        run.Heartbeat.Cut();
        await run.StepAsync("FIG 11", "heartbeat lost: the determining pair is still armed; H2's clustering software declares the failure first").ConfigureAwait(false);
        bool h2 = await run.DecisionOfAsync(run.H2).ConfigureAwait(false);
        await run.WaitForBothAsync(ClusterSite.DeterminingLun, PairState.Pair).ConfigureAwait(false);
        await run.WaitForBothAsync(ClusterSite.DataLun, PairState.Pair).ConfigureAwait(false);
        await run.StepAsync("FIG 12", "H2's RESERVE: PAIR SWAP RESYNCHRONIZATION to DV2 (S-VOL, suspended normal) accepted: DV2 is the P-VOL, PAIRED; H2 took the data pair over (split, swap resync)").ConfigureAwait(false);
        bool h1 = await run.DecisionOfAsync(run.H1).ConfigureAwait(false);
        bool h1Wrote = await run.H1.TryWriteAsync().ConfigureAwait(false);
        await run.StepAsync("FIG 13", "H1's RESERVE finds DV1 an S-VOL: ABNORMAL END; H1 fences itself, and SD1 refuses its write to PV").ConfigureAwait(false);

        outcome.Winner = h2 && !h1 ? "H2" : h1 && !h2 ? "H1" : "none";
        outcome.Check("H1 held and released the determining pair", held && released);
        outcome.Check("H2's RESERVE ended normally", h2);
        outcome.Check("H1's RESERVE ended abnormally", !h1);
        outcome.Check("H2 runs the application, H1 does not", run.H2.Online && !run.H1.Online);
        outcome.Check("R2-20: SD1 refuses H1's write to PV (now an S-VOL)", !h1Wrote);
        CheckDeterminingHeldBy(run, outcome, 2);
        CheckDataHeldBy(run, outcome, 2);
    }

    private static async Task H1CrashAsync(ClusterRun run, ClusterOutcome outcome)
    {
        run.H1.Crash();
        bool h2 = await run.DecisionOfAsync(run.H2).ConfigureAwait(false);
        await run.WaitForBothAsync(ClusterSite.DeterminingLun, PairState.Pair).ConfigureAwait(false);
        await run.StepAsync("FIG 12", "H1 crashed; H2's RESERVE: PAIR SWAP RESYNCHRONIZATION to DV2 accepted, DV2 is the P-VOL").ConfigureAwait(false);
        await run.WaitForBothAsync(ClusterSite.DataLun, PairState.Pair).ConfigureAwait(false);
        await run.StepAsync("FIG 13", "H2 took the data pair over (split, swap resync) and runs the application on SV").ConfigureAwait(false);
        outcome.Winner = h2 ? "H2" : "none";
        outcome.Check("H2's RESERVE ended normally", h2);
        outcome.Check("H2 runs the application", run.H2.Online);
        CheckDeterminingHeldBy(run, outcome, 2);
        CheckDataHeldBy(run, outcome, 2);
    }

    private static async Task SiteFailureAsync(ClusterRun run, ClusterOutcome outcome)
    {
        run.H1.Crash();
        await run.Site.FailSd1Async().ConfigureAwait(false);
        bool h2 = await run.DecisionOfAsync(run.H2).ConfigureAwait(false);
        await run.StepAsync(string.Empty, "H1, SD1 and the link are down; H2's RESERVE: PAIR SWAP RESYNCHRONIZATION cannot reach the owner: ABNORMAL END").ConfigureAwait(false);
        outcome.Winner = h2 ? "H2" : "none";
        outcome.Check("H2's RESERVE ended abnormally (R2-10)", !h2);
        outcome.Check("nobody runs the application: no automatic takeover", !run.H2.Online);
        outcome.Check("DV2 is SUSPENDED (ABNORMAL)", run.Steps[^1].Dv2.State == PairState.Psue);
    }

    private static async Task SiteFailureOperatorAsync(ClusterRun run, ClusterOutcome outcome)
    {
        await SiteFailureAsync(run, outcome).ConfigureAwait(false);
        VolumeView sv = await run.H2.Pvc.ViewAsync(ClusterSite.Data(2)).ConfigureAwait(false);
        bool taken = await run.H2.Pvc.SendAsync("OPERATOR", CopyManagementOpcode.PairSplit, ClusterSite.Data(2), sv, readWrite: true).ConfigureAwait(false);
        if (taken)
        {
            run.H2.BringOnlineByOperator();
        }

        await run.StepAsync(string.Empty, "an operator forces the S-VOL takeover of SV (PAIR SPLIT read/write of a PSUE S-VOL) and starts the application on H2").ConfigureAwait(false);
        outcome.Check("the forced S-VOL takeover ended normally", taken);
        outcome.Check("H2 can write SV after the explicit takeover", run.Steps[^1].Writers.SequenceEqual(["H2"]));
    }

    private static async Task HeartbeatOnlyAsync(ClusterRun run, ClusterOutcome outcome)
    {
        run.Heartbeat.Cut();
        bool h1 = await run.DecisionOfAsync(run.H1).ConfigureAwait(false);
        bool h2 = await run.DecisionOfAsync(run.H2).ConfigureAwait(false);
        await run.WaitForBothAsync(ClusterSite.DeterminingLun, PairState.Pair).ConfigureAwait(false);
        await run.WaitForBothAsync(ClusterSite.DataLun, PairState.Pair).ConfigureAwait(false);
        await run.StepAsync("FIG 8/12", "heartbeat lost; both hosts reserve at once: " + (h1 ? "H1's resync" : "H2's swap resync") + " committed first at the owner").ConfigureAwait(false);
        outcome.Winner = h1 && !h2 ? "H1" : h2 && !h1 ? "H2" : h1 ? "both" : "none";
        outcome.Check("exactly one RESERVE ended normally", h1 != h2);
        outcome.Check("the winner runs the application, the loser does not", h1 ? run.H1.Online && !run.H2.Online : run.H2.Online && !run.H1.Online);
        CheckDeterminingHeldBy(run, outcome, h1 ? 1 : 2);
    }

    private static async Task LinkDownAsync(ClusterRun run, ClusterOutcome outcome)
    {
        await run.Site.CutLinkAsync().ConfigureAwait(false);
        run.Heartbeat.Cut();
        bool h1 = await run.DecisionOfAsync(run.H1).ConfigureAwait(false);
        bool h2 = await run.DecisionOfAsync(run.H2).ConfigureAwait(false);
        await run.StepAsync(string.Empty, "heartbeat and link lost; both reserves end abnormally and the determining pair is SUSPENDED (ABNORMAL)").ConfigureAwait(false);
        outcome.Winner = h1 ? "H1" : h2 ? "H2" : "none";
        outcome.Check("H1's RESERVE ended abnormally", !h1);
        outcome.Check("H2's RESERVE ended abnormally", !h2);
        outcome.Check("nobody runs the application (H1 fenced itself)", !run.H1.Online && !run.H2.Online && run.H1.SelfFenced);
        outcome.Check("DV1 and DV2 are SUSPENDED (ABNORMAL)", run.Steps[^1].Dv1.State == PairState.Psue && run.Steps[^1].Dv2.State == PairState.Psue);
    }

    private static async Task RepeatedAsync(ClusterRun run, ClusterOutcome outcome)
    {
        TimeSpan fast = run.Options.Timing.Timeout;
        TimeSpan slow = fast + run.Options.Timing.Stagger;
        List<string> winners = [];
        for (int cycle = 1; cycle <= run.Options.Cycles; cycle++)
        {
            ClusterNode first = cycle % 2 == 1 ? run.H1 : run.H2;
            ClusterNode second = first == run.H1 ? run.H2 : run.H1;
            first.Timeout = fast;
            second.Timeout = slow;
            run.Heartbeat.Cut();
            bool won = await run.DecisionOfAsync(first).ConfigureAwait(false);
            bool lost = await run.DecisionOfAsync(second).ConfigureAwait(false);
            await run.WaitForBothAsync(ClusterSite.DeterminingLun, PairState.Pair).ConfigureAwait(false);
            await run.WaitForBothAsync(ClusterSite.DataLun, PairState.Pair).ConfigureAwait(false);
            await run.StepAsync(first == run.H1 ? "FIG 8" : "FIG 12", "cycle " + cycle + ": heartbeat lost, " + first.Name + " reserves first").ConfigureAwait(false);
            winners.Add(won && !lost ? first.Name : lost && !won ? second.Name : "none");
            outcome.Check("cycle " + cycle + ": " + first.Name + " wins and runs the application", won && !lost && first.Online && !second.Online);

            // The cluster recovers: the loser rejoins as standby, the winner re-arms the determining pair (R2-17).
            run.Heartbeat.Restore();
            await run.WaitForRecoveryAsync(first).ConfigureAwait(false);
            await run.WaitForRecoveryAsync(second).ConfigureAwait(false);
            second.RejoinAsStandby();
            // FIG 6: RELEASE on odd cycles, a RESET (a pair split too, unless configured to pass through) on even ones.
            string how = cycle % 2 == 1 ? "RELEASE" : "RESET";
            bool rearmed = cycle % 2 == 1 ? await first.Pvc.ReleaseAsync().ConfigureAwait(false) : await first.Pvc.ResetAsync().ConfigureAwait(false);
            rearmed = rearmed && await run.WaitForBothAsync(ClusterSite.DeterminingLun, PairState.Psus).ConfigureAwait(false);
            await run.StepAsync("FIG 10", "cycle " + cycle + ": heartbeat restored; " + first.Name + "'s " + how + " re-arms the determining pair").ConfigureAwait(false);
            outcome.Check("cycle " + cycle + ": re-armed by the winner's " + how, rearmed);
            if (!rearmed)
            {
                break;
            }
        }

        outcome.Winner = string.Join(",", winners);
    }

    // The winner's determining volume is the P-VOL, the loser's the S-VOL, as each storage reports it (R2-20, R2-21).
    private static void CheckDeterminingHeldBy(ClusterRun run, ClusterOutcome outcome, int host)
    {
        ClusterStep last = run.Steps[^1];
        VolumeView winner = host == 1 ? last.Dv1 : last.Dv2;
        VolumeView loser = host == 1 ? last.Dv2 : last.Dv1;
        outcome.Check("DV" + host + " is the P-VOL and the other determining volume the S-VOL", winner.Role == PairRole.PVol && loser.Role == PairRole.SVol);
    }

    private static void CheckDataHeldBy(ClusterRun run, ClusterOutcome outcome, int host)
    {
        ClusterStep last = run.Steps[^1];
        VolumeView winner = host == 1 ? last.Pv : last.Sv;
        VolumeView loser = host == 1 ? last.Sv : last.Pv;
        outcome.Check((host == 1 ? "PV" : "SV") + " is the data P-VOL and the other the S-VOL", winner.Role == PairRole.PVol && loser.Role == PairRole.SVol);
    }
}
