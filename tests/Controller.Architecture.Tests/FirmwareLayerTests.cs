// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Architecture.Tests;

/// <summary>
/// The layers inside the firmware core (docs/architecture.md, "Layers inside the core"): each namespace uses only
/// the namespaces below it. The foundation (addressing, scheduling, collections, media, bitmaps, queues) knows
/// nothing of volumes, pairs or remote copy; the volumes know nothing of pairs, remote copy or the write path.
/// </summary>
public sealed class FirmwareLayerTests
{
    private const string Ns = FirmwareNamespaces.Root + ".";

    // Each namespace and the namespaces it may use. The root namespace (StorageSubsystem, SubsystemOptions) sits on
    // top of everything; the throw helper every layer shares is Controller.Addressing's, below the core.
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
