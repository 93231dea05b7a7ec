// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.HostSim.CrashTest;
using Controller.Workload;

namespace Controller.HostSim.Tests.CrashTest;

/// <summary>
/// The crash test's checks fed bad data on purpose: a lost write, a torn block, a misplaced one, a split image that is
/// not its split's, a half-applied atomic split, a state the restart table does not allow, S != P. Each must be found;
/// the good cases beside them must pass.
/// </summary>
public sealed class CrashVerifierTests
{
    private const int Blocks = 8;

    [Test]
    public void EveryAcknowledgedWriteInPlacePasses()
    {
        WriteLedger ledger = new(1, Blocks);
        LedgerWrite first = Acknowledged(ledger, 0, 2, 2);
        LedgerWrite second = Acknowledged(ledger, 0, 3, 2);
        byte[] image = Image(Blocks, (first, 2, 1), (second, 3, 2));
        CrashFindings findings = new();
        long[] held = CrashVerifier.CheckVolume(ledger, 0, "P", image, findings);
        Assert.That(findings.IsClean, Is.True, string.Join("; ", findings.Problems));
        Assert.That(held, Is.EqualTo(new long[] { 0, 0, first.Id, second.Id, second.Id, 0, 0, 0 }), "what each block holds becomes the next round's base");
    }

    [Test]
    public void AnAcknowledgedWriteThatIsMissingIsLost()
    {
        WriteLedger ledger = new(1, Blocks);
        LedgerWrite first = Acknowledged(ledger, 0, 2, 1);
        LedgerWrite second = Acknowledged(ledger, 0, 2, 1);
        CrashFindings findings = new();
        CrashVerifier.CheckVolume(ledger, 0, "P", Image(Blocks, (first, 2, 1)), findings);
        Assert.That(findings.Lost, Is.EqualTo(1), "the block holds the older acknowledged write, not the latest (" + second.Id + ")");
        Assert.That(findings.Problems[0], Does.Contain("acknowledged write " + second.Id + " is lost"));

        CrashFindings zeros = new();
        CrashVerifier.CheckVolume(ledger, 0, "P", new byte[Blocks * 512], zeros);
        Assert.That(zeros.Lost, Is.EqualTo(1), "zeros where a write was acknowledged is a loss");
    }

    [Test]
    public void AWriteInDoubtMayBeOldOrNewButNothingElse()
    {
        WriteLedger ledger = new(1, Blocks);
        LedgerWrite acked = Acknowledged(ledger, 0, 4, 1);
        LedgerWrite inDoubt = ledger.TryBegin(0, 4, 1)!;
        ledger.Complete(inDoubt, WriteOutcome.InDoubt);
        foreach (LedgerWrite held in new[] { acked, inDoubt })
        {
            CrashFindings findings = new();
            CrashVerifier.CheckVolume(ledger, 0, "P", Image(Blocks, (held, 4, 1)), findings);
            Assert.That(findings.IsClean, Is.True, "old or new content is allowed for a write the kill left unanswered: " + string.Join("; ", findings.Problems));
        }

        CrashFindings none = new();
        CrashVerifier.CheckVolume(ledger, 0, "P", new byte[Blocks * 512], none);
        Assert.That(none.Lost, Is.EqualTo(1), "but not what was there before the acknowledged write");
    }

    [Test]
    public void ATornBlockIsFound()
    {
        WriteLedger ledger = new(1, Blocks);
        LedgerWrite first = Acknowledged(ledger, 0, 1, 1);
        LedgerWrite second = Acknowledged(ledger, 0, 1, 1);
        byte[] image = Image(Blocks, (first, 1, 1));
        byte[] newer = Image(Blocks, (second, 1, 1));
        Array.Copy(newer, 512 + 256, image, 512 + 256, 256); // half of each write: a torn sector
        CrashFindings findings = new();
        CrashVerifier.CheckVolume(ledger, 0, "P", image, findings);
        Assert.That(findings.Torn, Is.EqualTo(1), "a block mixing two writes has no whole stamp");
        Assert.That(findings.Lost + findings.Misplaced, Is.Zero, "and it is counted once, as torn");
    }

    [Test]
    public void ABlockOfAnotherLbaIsMisplaced()
    {
        WriteLedger ledger = new(1, Blocks);
        LedgerWrite write = Acknowledged(ledger, 0, 5, 2);
        byte[] image = Image(Blocks, (write, 5, 2));
        Array.Copy(image, 5 * 512, image, 6 * 512, 512); // LBA 5's block at LBA 6
        CrashFindings findings = new();
        CrashVerifier.CheckVolume(ledger, 0, "P", image, findings);
        Assert.That(findings.Misplaced, Is.EqualTo(1), "a whole stamp of LBA 5 read at LBA 6");
    }

    [Test]
    public void ASplitImageWithEveryWriteBeforeTheSplitAndNoneAfterPasses()
    {
        WriteLedger ledger = new(2, Blocks);
        LedgerWrite before0 = Acknowledged(ledger, 0, 0, 1);
        LedgerWrite before1 = Acknowledged(ledger, 1, 0, 1);
        SplitRecord split = Split(ledger, 2);
        LedgerWrite after0 = Acknowledged(ledger, 0, 0, 1);
        CrashFindings findings = new();
        bool ok = CrashVerifier.CheckSplitImage(ledger, split, [Image(Blocks, (before0, 0, 1)), Image(Blocks, (before1, 0, 1))], findings);
        Assert.That(ok && findings.IsClean, Is.True, string.Join("; ", findings.Problems));
        Assert.That(after0.Id, Is.GreaterThan(before0.Id), "the P-VOL went on after the split");
    }

    [Test]
    public void ASplitImageMissingAWriteAcknowledgedBeforeTheSplitIsAViolation()
    {
        WriteLedger ledger = new(2, Blocks);
        Acknowledged(ledger, 0, 0, 1);
        SplitRecord split = Split(ledger, 2);
        CrashFindings findings = new();
        CrashVerifier.CheckSplitImage(ledger, split, [new byte[Blocks * 512], new byte[Blocks * 512]], findings);
        Assert.That(findings.SplitImageViolations, Is.EqualTo(1), "the write acknowledged before the split was sent must be in the image");
        Assert.That(findings.Problems[0], Does.Contain("acknowledged before"));
    }

    [Test]
    public void ASplitImageHoldingAWriteSentAfterTheAnswerIsAViolation()
    {
        WriteLedger ledger = new(2, Blocks);
        SplitRecord split = Split(ledger, 2);
        LedgerWrite after = Acknowledged(ledger, 1, 3, 1);
        CrashFindings findings = new();
        CrashVerifier.CheckSplitImage(ledger, split, [new byte[Blocks * 512], Image(Blocks, (after, 3, 1))], findings);
        Assert.That(findings.SplitImageViolations, Is.EqualTo(1), "a write sent after the split's answer must not be in its image");
        Assert.That(findings.Problems[0], Does.Contain("sent after"));
    }

    [Test]
    public void ASplitImageThatIsNotOnePointInTimeIsAViolation()
    {
        // Both writes run while the split is outstanding, one after the other: A answered, then B sent. An image with
        // B but not A is no point in time, although each block alone is allowed.
        WriteLedger ledger = new(2, Blocks);
        SplitRecord split = new("ATOMIC SPLIT", Members(2), ledger.Tick());
        LedgerWrite a = Acknowledged(ledger, 0, 1, 1);
        LedgerWrite b = Acknowledged(ledger, 1, 1, 1);
        split.AnsweredAt = ledger.Tick();
        CrashFindings inOrder = new();
        Assert.That(CrashVerifier.CheckSplitImage(ledger, split, [Image(Blocks, (a, 1, 1)), new byte[Blocks * 512]], inOrder), Is.True, "A without B is a point in time: " + string.Join("; ", inOrder.Problems));
        CrashFindings torn = new();
        Assert.That(CrashVerifier.CheckSplitImage(ledger, split, [new byte[Blocks * 512], Image(Blocks, (b, 1, 1))], torn), Is.False, "B without A is not");
        Assert.That(torn.Problems[^1], Does.Contain("not one point in time"));
    }

    [Test]
    public void APairStateTheRestartTableDoesNotAllowIsAViolation()
    {
        PairModel mirroring = new("P=S", default, 0);
        mirroring.Answered(PairState.Pair);
        PairModel split = new("P2=S2", default, 1);
        split.Answered(PairState.Psus);
        CrashFindings findings = new();
        Assert.That(CrashVerifier.CheckState(mirroring, PairState.Psue, afterCrash: true, findings), Is.True, "PAIR -> PSUE after a crash");
        Assert.That(CrashVerifier.CheckState(split, PairState.Pair, afterCrash: true, findings), Is.False, "a split pair must not come back PAIR");
        Assert.That(CrashVerifier.CheckState(new PairModel("P3=S3", default, 2), PairState.Copy, afterCrash: true, findings), Is.False, "a pair never made must not appear");
        Assert.That(findings.PairStateViolations, Is.EqualTo(2));
        Assert.That(findings.PairsChecked, Is.EqualTo(3));
        Assert.That(findings.Problems[0], Does.Contain("PAIR after a crash, but the kept state was {PSUS}"));
    }

    [Test]
    public void AHalfAppliedAtomicSplitIsAViolation()
    {
        SplitRecord split = new("ATOMIC SPLIT", Members(3), 1);
        CrashFindings findings = new();
        Assert.That(CrashVerifier.CheckAtomicity(split, [PairState.Psus, PairState.Psus, PairState.Psus], [7UL, 7UL, 7UL], findings), Is.True, "all split at one sequence");
        Assert.That(CrashVerifier.CheckAtomicity(split, [PairState.Psue, PairState.Pair, PairState.Psue], [0UL, 0UL, 0UL], findings), Is.True, "none split");
        Assert.That(CrashVerifier.CheckAtomicity(split, [PairState.Psus, PairState.Psue, PairState.Psus], [7UL, 0UL, 7UL], findings), Is.False, "some split, some not");
        Assert.That(CrashVerifier.CheckAtomicity(split, [PairState.Psus, PairState.Psus, PairState.Psus], [7UL, 8UL, 7UL], findings), Is.False, "split at two points");
        Assert.That(findings.AtomicityViolations, Is.EqualTo(2));
    }

    [Test]
    public void AnSVolThatDiffersFromItsPVolIsFound()
    {
        PairModel pair = new("P=S", default, 0);
        byte[] p = new byte[Blocks * 512];
        byte[] s = new byte[Blocks * 512];
        CrashFindings findings = new();
        Assert.That(CrashVerifier.CheckEqual(pair, p, s, "after the resync", findings), Is.True, "equal");
        s[3 * 512] = 1;
        Assert.That(CrashVerifier.CheckEqual(pair, p, s, "after the resync", findings), Is.False, "one byte differs");
        Assert.That(findings.SNotEqualP, Is.EqualTo(1));
        Assert.That(findings.PairsCompared, Is.EqualTo(2));
        Assert.That(findings.Problems[0], Does.Contain("1 blocks, the first at LBA 3"));
    }

    [Test]
    public void WritesThatShareABlockAreNeverInFlightTogether()
    {
        WriteLedger ledger = new(1, Blocks);
        LedgerWrite first = ledger.TryBegin(0, 2, 3)!;
        Assert.That(ledger.TryBegin(0, 4, 2), Is.Null, "LBA 4 is in flight");
        Assert.That(ledger.TryBegin(0, 5, 2), Is.Not.Null, "LBA 5 is not");
        ledger.Complete(first, WriteOutcome.Acknowledged);
        Assert.That(ledger.TryBegin(0, 4, 1), Is.Not.Null, "free again once answered");
    }

    private static LedgerWrite Acknowledged(WriteLedger ledger, int volume, long lba, int blocks)
    {
        LedgerWrite write = ledger.TryBegin(volume, lba, blocks) ?? throw new InvalidOperationException("overlap");
        ledger.Complete(write, WriteOutcome.Acknowledged);
        return write;
    }

    private static SplitRecord Split(WriteLedger ledger, int members)
    {
        return new SplitRecord("ATOMIC SPLIT", Members(members), ledger.Tick()) { AnsweredAt = ledger.Tick() };
    }

    private static List<PairModel> Members(int count)
    {
        List<PairModel> members = [];
        for (int i = 0; i < count; i++)
        {
            members.Add(new PairModel("P" + i + "=S" + i, default, i));
        }

        return members;
    }

    // A volume image holding the given writes' blocks (each write: its blocks from lba on, count blocks of it).
    private static byte[] Image(int blocks, params (LedgerWrite Write, long Lba, int Count)[] writes)
    {
        byte[] image = new byte[blocks * 512];
        foreach ((LedgerWrite write, long lba, int count) in writes)
        {
            BlockStamp.Write(image.AsSpan((int)(lba * 512), count * 512), write.Id, write.Volume, lba, 0);
        }

        return image;
    }
}
