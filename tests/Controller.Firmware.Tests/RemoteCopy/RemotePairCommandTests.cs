// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.RemoteCopy;

/// <summary>
/// Table T1 cell by cell through the engine, not the table alone: two subsystems are brought to each state a remote
/// pair can be in, the command is sent to the primary, and the answer (accepted, no-op, rejected with its error)
/// and the state both subsystems then show must be the table's.
/// </summary>
[Category("R0-5")]
public sealed class RemotePairCommandTests
{
    private const long Blocks = 2048;

    private static readonly PairState[] States = [PairState.Copy, PairState.Pair, PairState.Psus, PairState.Psue, PairState.CopyResync];

    private static readonly PairOperation[] Operations =
    [
        PairOperation.Create, PairOperation.Split, PairOperation.SuspendByError, PairOperation.Resync, PairOperation.Restore,
        PairOperation.SwapResync, PairOperation.Delete, PairOperation.SplitProtectPVol,
    ];

    public static IEnumerable<TestCaseData> Cells()
    {
        foreach (PairState state in States)
        {
            foreach (PairOperation operation in Operations)
            {
                yield return new TestCaseData(state, operation).SetName(PairStateNames.Of(state) + " x " + operation + " through both subsystems");
            }
        }
    }

    [TestCaseSource(nameof(Cells))]
    public void TheEngineAnswersAsTableT1AndBothSidesAgree(PairState state, PairOperation operation)
    {
        // A paced copy (one track per virtual second) stays in COPY while the test runs only ready work.
        // A swap resync is sent to the S-VOL (SS2), which passes it to the owner over the path SS2 -> SS1.
        bool swap = operation == PairOperation.SwapResync;
        using TwoSubsystemRig rig = new(seed: (ulong)(((int)state * 16) + (int)operation), new CopyPace { TracksPerStep = 1, BytesPerSecond = 64 * 1024 }, bothWays: swap);
        Ldev lv1 = rig.Volume1(1, Blocks);
        rig.Volume2(2, Blocks);
        BringTo(rig, state, lv1);
        Assert.That(rig.Primary(1, 2).State, Is.EqualTo(state), "set-up");

        TransitionRule rule = RemoteMirrorTable.Instance.Lookup(state, operation);
        PairCommandResponse answer = operation == PairOperation.Create
            ? rig.Await(rig.Ss1.Pairs.CreateRemoteAsync(TwoSubsystemRig.At1(1), lv1, TwoSubsystemRig.At2(2), FenceLevel.Never))
            : rig.Command(swap ? rig.Ss2 : rig.Ss1, 1, 2, operation);
        rig.RunReady();

        Assert.That(answer.Result, Is.EqualTo(rule.Result), answer.Message);
        Assert.That(answer.Error, Is.EqualTo(rule.Error), answer.Message);
        PairState expected = rule.Result == CommandResult.Accepted ? rule.NextState : state;
        MirrorPair? ss1 = rig.Ss1.Pairs.FindByVolume(TwoSubsystemRig.At1(1)).FirstOrDefault();
        MirrorPair? ss2 = rig.Ss2.Pairs.FindByVolume(TwoSubsystemRig.At2(2)).FirstOrDefault();
        Assert.That(ss1?.State ?? PairState.Smpl, Is.EqualTo(expected), "SS1's state");
        Assert.That(ss2?.State ?? PairState.Smpl, Is.EqualTo(expected), "SS2 agrees");
        if (swap && rule.Result == CommandResult.Accepted)
        {
            Assert.That(ss2!.LocalRole, Is.EqualTo(PairRole.PVol), "the swap made SS2's volume the P-VOL");
            Assert.That(ss1!.LocalRole, Is.EqualTo(PairRole.SVol), "and SS1's the S-VOL");
        }
    }

    private static void BringTo(TwoSubsystemRig rig, PairState state, Ldev lv1)
    {
        rig.CreateRemote(1, 2);
        if (state == PairState.Copy)
        {
            rig.RunReady();
            return;
        }

        rig.Scheduler.RunUntilIdle();
        switch (state)
        {
            case PairState.Psus:
                rig.Command(rig.Ss1, 1, 2, PairOperation.Split);
                MarkTwoTracks(rig, lv1);
                break;
            case PairState.Psue:
                rig.Command(rig.Ss1, 1, 2, PairOperation.SuspendByError);
                MarkTwoTracks(rig, lv1);
                break;
            case PairState.CopyResync:
                rig.Command(rig.Ss1, 1, 2, PairOperation.Split);
                MarkTwoTracks(rig, lv1);
                rig.Command(rig.Ss1, 1, 2, PairOperation.Resync);
                break;
            default:
                break;
        }

        rig.RunReady();
    }

    // Two tracks written while the pair does not mirror: a resync then has a paced copy to run (it stays COPY(RS)).
    private static void MarkTwoTracks(TwoSubsystemRig rig, Ldev lv1)
    {
        rig.Scheduler.RunUntilIdle();
        rig.Write(lv1, 0, TwoSubsystemRig.Pattern(1, 8));
        rig.Write(lv1, 5 * 128, TwoSubsystemRig.Pattern(2, 8));
    }
}
