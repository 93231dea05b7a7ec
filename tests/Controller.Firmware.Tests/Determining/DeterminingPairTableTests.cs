// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Testing;

namespace Controller.Firmware.Tests.Determining;

/// <summary>
/// Seed 002 FIG 4, cell by cell: the table against a transcription of the figure, then every cell through the
/// storage itself (the command sent to a volume of each attribute of a determining pair in each state): NORMAL END
/// only for (resync, P-VOL, suspend normal) and (swap resync, S-VOL, suspend normal); every other cell ABNORMAL END
/// with nothing changed on either storage.
/// </summary>
[Category("R2-8")]
public sealed class DeterminingPairTableTests
{
    // FIG 4 as the reference transcribes it: command, attribute, state, response.
    private static readonly string[] Fig4 =
    [
        "resync P-VOL NON-PAIRED ABNORMAL",
        "resync P-VOL COPYING ABNORMAL",
        "resync P-VOL PAIRED ABNORMAL",
        "resync P-VOL SUSPEND-NORMAL NORMAL",
        "resync P-VOL SUSPEND-ABNORMAL ABNORMAL",
        "resync S-VOL NON-PAIRED ABNORMAL",
        "resync S-VOL COPYING ABNORMAL",
        "resync S-VOL PAIRED ABNORMAL",
        "resync S-VOL SUSPEND-NORMAL ABNORMAL",
        "resync S-VOL SUSPEND-ABNORMAL ABNORMAL",
        "swap P-VOL NON-PAIRED ABNORMAL",
        "swap P-VOL COPYING ABNORMAL",
        "swap P-VOL PAIRED ABNORMAL",
        "swap P-VOL SUSPEND-NORMAL ABNORMAL",
        "swap P-VOL SUSPEND-ABNORMAL ABNORMAL",
        "swap S-VOL NON-PAIRED ABNORMAL",
        "swap S-VOL COPYING ABNORMAL",
        "swap S-VOL PAIRED ABNORMAL",
        "swap S-VOL SUSPEND-NORMAL NORMAL",
        "swap S-VOL SUSPEND-ABNORMAL ABNORMAL",
    ];

    public static IEnumerable<TestCaseData> Cells()
    {
        foreach (string line in Fig4)
        {
            string[] f = line.Split(' ');
            PairOperation command = f[0] == "resync" ? PairOperation.Resync : PairOperation.SwapResync;
            PairRole attribute = f[1] == "P-VOL" ? PairRole.PVol : PairRole.SVol;
            DeterminingState state = f[2] switch
            {
                "NON-PAIRED" => DeterminingState.NonPaired,
                "COPYING" => DeterminingState.Copying,
                "PAIRED" => DeterminingState.Paired,
                "SUSPEND-NORMAL" => DeterminingState.SuspendNormal,
                _ => DeterminingState.SuspendAbnormal,
            };
            yield return new TestCaseData(command, attribute, state, f[3] == "NORMAL").SetName(line);
        }
    }

    [TestCaseSource(nameof(Cells))]
    public void TheTableAnswersAsFig4(PairOperation command, PairRole attribute, DeterminingState state, bool normalEnd)
    {
        DeterminingCell cell = DeterminingPairTable.Lookup(command, attribute, state);
        Assert.That(cell.NormalEnd, Is.EqualTo(normalEnd));
        Assert.That(cell.Error == PairErrorCode.None, Is.EqualTo(normalEnd), "an ABNORMAL END names its error");
    }

    [Test]
    public void TheTableHasTwentyCellsTwoOfThemNormalEnd()
    {
        Assert.That(DeterminingPairTable.All, Has.Count.EqualTo(20));
        Assert.That(DeterminingPairTable.All.Count(c => c.NormalEnd), Is.EqualTo(2));
        Assert.That(DeterminingPairTable.All.Select(c => (c.Command, c.Attribute, c.State)).Distinct().Count(), Is.EqualTo(20));
        Assert.That(() => DeterminingPairTable.Lookup(PairOperation.Split, PairRole.PVol, DeterminingState.Paired), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void TheRenderedTableIsStable()
    {
        // docs/state-tables.md prints this rendering.
        Snapshot.Verify(DeterminingPairTable.ToMarkdown());
    }

    [Test]
    [Category("R2-5")]
    public void TheDeterminingPairsT1VariantDiffersFromT1OnlyInT8AndT9AsConfigured()
    {
        PairCommandTable t1 = RemoteMirrorTable.Instance;
        PairCommandTable standard = RemoteMirrorTable.ForDetermining(rearmFromSuspendAbnormal: true, splitWhileCopying: true);
        PairCommandTable strict = RemoteMirrorTable.ForDetermining(rearmFromSuspendAbnormal: false, splitWhileCopying: false);
        List<string> differences = [];
        foreach (PairState state in Enum.GetValues<PairState>())
        {
            foreach (PairOperation operation in Enum.GetValues<PairOperation>())
            {
                if (standard.Lookup(state, operation) != t1.Lookup(state, operation))
                {
                    differences.Add("default " + state + " x " + operation + ": " + standard.Lookup(state, operation));
                }

                if (strict.Lookup(state, operation) != t1.Lookup(state, operation))
                {
                    differences.Add("strict " + state + " x " + operation + ": " + strict.Lookup(state, operation));
                }
            }
        }

        Assert.That(differences, Is.EqualTo(new[]
        {
            "strict Copy x Split: " + TransitionRule.Reject(PairState.Copy, PairErrorCode.CopyInProgress),
            "default Psue x Split: " + TransitionRule.To(PairState.Psus),
            "strict CopyResync x Split: " + TransitionRule.Reject(PairState.CopyResync, PairErrorCode.CopyInProgress),
        }));
    }

    [TestCaseSource(nameof(Cells))]
    public void TheStorageAnswersAsFig4(PairOperation command, PairRole attribute, DeterminingState state, bool normalEnd)
    {
        // A copy that stays in COPYING: slow, and the clock never moves for it.
        using DeterminingRig rig = new(seed: 11, pace: state == DeterminingState.Copying ? new CopyPace { TracksPerStep = 1, BytesPerSecond = 4096 } : null);
        Enter(rig, state);
        StorageSubsystem at = attribute == PairRole.PVol ? rig.Sd1 : rig.Sd2;
        var before = (rig.View(rig.Sd1, DeterminingRig.Dv), rig.View(rig.Sd2, DeterminingRig.Dv));

        PairCommandResponse answer = rig.Send(at, DeterminingRig.Dv, command);
        Settle(rig, state);

        Assert.That(answer.Result == CommandResult.Accepted, Is.EqualTo(normalEnd), answer.Message);
        if (!normalEnd)
        {
            Assert.That(answer.Result, Is.EqualTo(CommandResult.Rejected), "ABNORMAL END, never a no-op: " + answer.Message);
            Assert.That((rig.View(rig.Sd1, DeterminingRig.Dv), rig.View(rig.Sd2, DeterminingRig.Dv)), Is.EqualTo(before), "nothing changed on either storage");
            return;
        }

        // The effect (R2-6, R2-7): copying, then paired; a swap resync exchanged the roles.
        rig.AssertAgree(DeterminingRig.Dv, "after the copy");
        Assert.That(rig.View(rig.Sd1, DeterminingRig.Dv).State, Is.EqualTo(PairState.Pair));
        Assert.That(rig.View(rig.Sd1, DeterminingRig.Dv).Role, Is.EqualTo(command == PairOperation.Resync ? PairRole.PVol : PairRole.SVol));
    }

    // Puts the determining pair DV1 -> DV2 into a FIG 4 state, the link up.
    private static void Enter(DeterminingRig rig, DeterminingState state)
    {
        switch (state)
        {
            case DeterminingState.NonPaired:
                return;
            case DeterminingState.Copying:
                Assert.That(rig.Create(DeterminingRig.Dv, determining: true).Result, Is.EqualTo(CommandResult.Accepted));
                rig.Storage.RunReady();
                Assert.That(rig.View(rig.Sd1, DeterminingRig.Dv).State, Is.EqualTo(PairState.Copy));
                return;
            case DeterminingState.Paired:
                Assert.That(rig.Create(DeterminingRig.Dv, determining: true).Result, Is.EqualTo(CommandResult.Accepted));
                rig.Storage.Scheduler.RunUntilIdle();
                break;
            case DeterminingState.SuspendNormal:
                rig.Arm(dataPair: false);
                break;
            default:
                rig.Arm(dataPair: false);
                Assert.That(rig.Send(rig.Sd1, DeterminingRig.Dv, PairOperation.SuspendByError).Result, Is.EqualTo(CommandResult.Accepted));
                rig.Storage.Scheduler.RunUntilIdle();
                break;
        }

        rig.AssertAgree(DeterminingRig.Dv, "entered " + state);
        Assert.That(DeterminingPairTable.StateOf(rig.View(rig.Sd1, DeterminingRig.Dv).State), Is.EqualTo(state));
    }

    private static void Settle(DeterminingRig rig, DeterminingState state)
    {
        if (state == DeterminingState.Copying)
        {
            rig.Storage.RunReady();
        }
        else
        {
            rig.Storage.Scheduler.RunUntilIdle();
        }
    }
}
