// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Tests.Pairs.Splits;

/// <summary>Mirror names (FIG 8): define, replace, delete; a pair in at most one name; shown in pairdisplay.</summary>
public sealed class MirrorNameTests
{
    [Test]
    [Category("R0-12")]
    [Category("R0-28")]
    public void ANameIsDefinedReplacedAndDeleted()
    {
        using SplitRig rig = new(new DeterministicScheduler(1), volumes: 4, chains: 1);
        rig.CreatePairs();
        rig.Settle();
        MirrorNameResponse defined = rig.Pairs.NameMirrors("AUXSET1", [rig.PairOf(0), rig.PairOf(1)]);
        Assert.That(defined.Succeeded, Is.True, defined.Message);
        Assert.That(rig.Pairs.GetMirrorNames()["AUXSET1"], Is.EqualTo(new[] { rig.PairOf(0), rig.PairOf(1) }), "an ordered member list");
        Assert.That(rig.Pair(0).MirrorName, Is.EqualTo("AUXSET1"), "the rows carry the name");

        MirrorNameResponse replaced = rig.Pairs.NameMirrors("AUXSET1", [rig.PairOf(2), rig.PairOf(1)]);
        Assert.That(replaced.Succeeded, Is.True, replaced.Message);
        Assert.Multiple(() =>
        {
            Assert.That(rig.Pairs.GetMirrorNames()["AUXSET1"], Is.EqualTo(new[] { rig.PairOf(2), rig.PairOf(1) }), "redefining replaces the list");
            Assert.That(rig.Pair(0).MirrorName, Is.Null, "a pair left out loses the name");
            Assert.That(rig.Pair(2).MirrorName, Is.EqualTo("AUXSET1"), "a pair put in carries the name (what pairdisplay shows of it: PairDisplayTests)");
        });

        MirrorNameResponse deleted = rig.Pairs.NameMirrors("AUXSET1", []);
        Assert.That(deleted.Succeeded, Is.True, deleted.Message);
        Assert.That(rig.Pairs.GetMirrorNames(), Is.Empty, "no pairs deletes the name");
        Assert.That(rig.Pair(2).MirrorName, Is.Null, "and frees its pairs");
    }

    [Test]
    [Category("R0-28")]
    public void APairBelongsToAtMostOneName()
    {
        using SplitRig rig = new(new DeterministicScheduler(1), volumes: 3, chains: 1);
        rig.CreatePairs();
        rig.Settle();
        Assert.That(rig.Pairs.NameMirrors("A", [rig.PairOf(0)]).Succeeded, Is.True);
        MirrorNameResponse refused = rig.Pairs.NameMirrors("B", [rig.PairOf(1), rig.PairOf(0)]);
        Assert.Multiple(() =>
        {
            Assert.That(refused.Error, Is.EqualTo(PairErrorCode.NamedElsewhere), refused.Message);
            Assert.That(refused.FailedPair, Is.EqualTo(rig.PairOf(0)), "the error names the pair");
            Assert.That(rig.Pairs.GetMirrorNames().Keys, Is.EqualTo(new[] { "A" }), "nothing changed");
            Assert.That(rig.Pair(1).MirrorName, Is.Null, "not even the first pair of the refused list");
        });
    }

    [TestCase("", PairErrorCode.InvalidMirrorName)]
    [TestCase("HAS SPACE", PairErrorCode.InvalidMirrorName)]
    [TestCase("THIS-NAME-IS-LONGER-THAN-32-CHARS", PairErrorCode.InvalidMirrorName)]
    [Category("R0-14")]
    public void AnInvalidNameIsRefused(string name, PairErrorCode expected)
    {
        using SplitRig rig = new(new DeterministicScheduler(1), volumes: 1, chains: 1);
        rig.CreatePairs();
        rig.Settle();
        Assert.That(rig.Pairs.NameMirrors(name, [rig.PairOf(0)]).Error, Is.EqualTo(expected));
    }

    [Test]
    [Category("R0-28")]
    public void DeletingAPairTakesItOutOfItsName()
    {
        using SplitRig rig = new(new DeterministicScheduler(1), volumes: 2, chains: 1);
        rig.CreatePairs();
        rig.Settle();
        rig.Pairs.NameMirrors("SET", [rig.PairOf(0), rig.PairOf(1)]);
        rig.Pairs.Execute(rig.PairOf(0).PVol, rig.PairOf(0).SVol, PairOperation.Delete);
        Assert.That(rig.Pairs.GetMirrorNames()["SET"], Is.EqualTo(new[] { rig.PairOf(1) }), "the deleted pair leaves the name");
    }
}
