// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Architecture.Tests;

/// <summary>
/// The layers inside the firmware core (docs/architecture.md, "Layers inside the core"): each namespace uses only
/// the namespaces below it. The foundation (addressing, scheduling, collections, media, bitmaps, queues) knows
/// nothing of volumes, pairs or remote copy; the volumes know nothing of pairs, remote copy or the write path; the
/// pair vocabulary sits below both the pairs and the remote-copy link; and no namespace of the core, the root included,
/// uses another that uses it back, directly or through others.
/// </summary>
public sealed class FirmwareLayerTests
{
    private const string Ns = FirmwareNamespaces.Root + ".";

    // The foundation: it knows nothing of volumes, pairs or remote copy.
    private static readonly string[] Foundation =
        [Ns + "Addressing", Ns + "Scheduling", Ns + "Collections", Ns + "Media", Ns + "Queues", Ns + "Bitmaps", Ns + "Measurement"];

    // Each namespace and the namespaces it may use. The root namespace (StorageSubsystem, SubsystemOptions,
    // ScheduledRemotePath) sits on top of everything; the throw helper every layer shares is Controller.Addressing's,
    // below the core.
    private static readonly Dictionary<string, string[]> MayUse = new(StringComparer.Ordinal)
    {
        [Ns + "Addressing"] = [],
        [Ns + "Scheduling"] = [],
        [Ns + "Collections"] = [],
        [Ns + "Media"] = [Ns + "Collections", Ns + "Scheduling"],
        [Ns + "Queues"] = [Ns + "Scheduling"],
        [Ns + "Bitmaps"] = [Ns + "Collections", Ns + "Media"],
        [Ns + "Measurement"] = [],

        // The volumes are a leaf: what a layer above keeps on a volume they hold without knowing it (LdevAttachment,
        // VolumeRelation, IMirrorTarget), and the write path that reads it sits over the pairs.
        [Ns + "Volumes"] = [Ns + "Addressing", Ns + "Media", Ns + "Queues", Ns + "Scheduling", Ns + "Collections", Ns + "Bitmaps"],

        // The words a pair is spoken of in (its state, the commands on it, its address, how a split goes, why a command
        // was refused): the pair engine and the remote-copy link both speak them, so they sit below both.
        [Ns + "PairVocabulary"] = [],

        // The link's messages and paths know a pair by its vocabulary and a volume as a block device, no more: the pairs
        // use the link, never the other way round (the in-process path that hands messages to a secondary's table sits
        // in the root, beside StorageSubsystem).
        [Ns + "RemoteCopy"] = [.. Foundation, Ns + "PairVocabulary"],
        [Ns + "Pairs"] = [.. Foundation, Ns + "PairVocabulary", Ns + "Volumes", Ns + "RemoteCopy"],

        // The kept state reads the pairs and the volumes; what it needs of a subsystem (IWriteIntentSubsystem) it says
        // itself, so the root, which assembles a subsystem from every namespace here, stays on top.
        [Ns + "Persistence"] = [.. Foundation, Ns + "PairVocabulary", Ns + "Volumes", Ns + "RemoteCopy", Ns + "Pairs"],
        [Ns + "WritePath"] = [.. Foundation, Ns + "PairVocabulary", Ns + "Volumes", Ns + "RemoteCopy", Ns + "Pairs"],
    };

    private static IEnumerable<string> Layered => MayUse.Keys;

    [TestCaseSource(nameof(Layered))]
    public void UsesOnlyTheNamespacesBelowIt(string name)
    {
        string[] breaches = [.. FirmwareNamespaces.UsedBy(name)
            .Where(used => !MayUse[name].Contains(used.Key))
            .Select(used => used.Key + " (" + string.Join(", ", used.Value) + ")")];

        Assert.That(breaches, Is.Empty, name + " uses a namespace above it");
    }

    [Test]
    public void NoNamespaceCycleInsideTheCore()
    {
        // The table above speaks of the foundation and the volumes; this speaks of every namespace of the core, the
        // root included: no two of them use each other, directly or through others.
        Assert.That(NamespaceCycles.Find(FirmwareNamespaces.Edges), Is.Empty, "namespaces of the core that use each other, directly or through others");
    }

    [Test]
    public void TheTableHasNoCycle()
    {
        // A table that let two namespaces use each other would let the rows above pass on a cycle.
        Dictionary<string, IReadOnlyDictionary<string, string[]>> table = MayUse.ToDictionary(
            row => row.Key,
            row => (IReadOnlyDictionary<string, string[]>)row.Value.ToDictionary(used => used, used => new[] { "may use" }, StringComparer.Ordinal),
            StringComparer.Ordinal);

        Assert.That(NamespaceCycles.Find(table), Is.Empty);
    }

    [Test]
    public void TheCycleFinderReportsACycle()
    {
        // The rule above must be able to fail: on a hand-made graph the finder reports a three-namespace cycle and a
        // pair with the edges that make them, and nothing for the namespaces that only use downwards.
        Dictionary<string, IReadOnlyDictionary<string, string[]>> graph = new(StringComparer.Ordinal)
        {
            ["A"] = new Dictionary<string, string[]> { ["B"] = ["A1 -> B1"], ["D"] = ["A1 -> D1"] },
            ["B"] = new Dictionary<string, string[]> { ["C"] = ["B1 -> C1"] },
            ["C"] = new Dictionary<string, string[]> { ["A"] = ["C1 -> A1", "C2 -> A2"], ["D"] = ["C1 -> D1"] },
            ["D"] = new Dictionary<string, string[]>(),
            ["E"] = new Dictionary<string, string[]> { ["F"] = ["E1 -> F1"], ["D"] = ["E1 -> D1"] },
            ["F"] = new Dictionary<string, string[]> { ["E"] = ["F1 -> E1"] },
        };

        Assert.Multiple(() =>
        {
            Assert.That(NamespaceCycles.Find(graph), Is.EqualTo(new[]
            {
                "{A, B, C}: e.g. A -> B -> C -> A; A -> B (A1 -> B1); B -> C (B1 -> C1); C -> A (C1 -> A1, C2 -> A2)",
                "{E, F}: e.g. E -> F -> E; E -> F (E1 -> F1); F -> E (F1 -> E1)",
            }));
            graph["C"] = new Dictionary<string, string[]> { ["D"] = ["C1 -> D1"] };
            graph["F"] = new Dictionary<string, string[]>();
            Assert.That(NamespaceCycles.Find(graph), Is.Empty);
        });
    }

    [Test]
    public void TheGraphSeesTheCore()
    {
        // The rule above must be able to fail: the graph does hold the core's real edges (the pairs use volumes).
        Assert.That(FirmwareNamespaces.UsedBy(Ns + "Pairs"), Does.ContainKey(Ns + "Volumes"));
    }
}
