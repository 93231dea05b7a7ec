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

    // Each namespace and the namespaces it may use. ThrowHelper (the root namespace) is the one thing every layer
    // shares: the root's other types (StorageSubsystem, SubsystemOptions) sit on top of everything.
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
            .Where(used => used.Key != FirmwareNamespaces.Root || used.Value.Any(example => !example.EndsWith("-> ThrowHelper", StringComparison.Ordinal)))
            .Where(used => !MayUse[name].Contains(used.Key))
            .Select(used => used.Key + " (" + string.Join(", ", used.Value) + ")")];

        Assert.That(breaches, Is.Empty, name + " uses a namespace above it");
    }

    [Test]
    public void TheGraphSeesTheCore()
    {
        // The rule above must be able to fail: the graph does hold the core's real edges (the pairs use volumes).
        Assert.That(FirmwareNamespaces.UsedBy(Ns + "Pairs"), Does.ContainKey(Ns + "Volumes"));
    }
}
