// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Workload;

namespace Controller.Firmware.Tests.Pairs.Splits;

/// <summary>
/// The atomic split with real threads: the MPs on the thread pool, the chains issuing from the MPs, the split issued
/// from the test's thread while they run; repeated splits and resyncs, every split checked by the oracle. No sleeps:
/// the test waits on the split's completion and on the load's progress.
/// </summary>
public sealed class AtomicSplitThreadTests
{
    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    [Category("R0-19")]
    [Category("R0-20")]
    public void SplitsUnderRealConcurrentLoadAreConsistent(AtomicSplitMechanism mechanism)
    {
        int[] members = [0, 1, 2, 3];
        for (int round = 0; round < 10; round++)
        {
            using SplitRig rig = new(RealTimeScheduler.Instance, volumes: 5, chains: 16, mpCount: 2);
            rig.CreatePairs();
            Assert.That(members.Append(4).All(v => rig.Pairs.WaitForState(rig.PairOf(v).PVol, rig.PairOf(v).SVol, PairState.Pair, TimeSpan.FromSeconds(30))), Is.True, "initial copies reach PAIR");
            rig.Start();
            WaitFor(() => rig.Acks >= 2_000 + (round * 500), "load before the split");
            long issued = rig.Workload.Tick();
            long completed = 0;
            AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. members.Select(rig.PairOf)], mechanism), _ => completed = rig.Workload.Tick());
            Assert.That(split.Wait(TimeSpan.FromSeconds(30)), Is.True, "round " + round + ": the split completes");
            long after = rig.Acks + 2_000;
            WaitFor(() => rig.Acks >= after, "load after the split");
            rig.Stop();
            WaitFor(() => rig.Active == 0, "the chains stop");
            Assert.That(split.Result!.Succeeded, Is.True, "round " + round + ": " + split.Result.Message);
            Assert.That(rig.Failure, Is.Null, "every host write is answered Good");
            OracleVerdict verdict = rig.Check(members, issued, Volatile.Read(ref completed));
            Assert.That(verdict.Consistent, Is.True, "round " + round + " (" + mechanism + "): " + verdict);
            Assert.That(verdict.WritesPresent, Is.InRange(1, verdict.WritesChecked - 1), "round " + round + ": the cut falls inside the run");
        }
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        Assert.That(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)), Is.True, what + " within 30 s");
    }
}
