// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using ArchUnitNET.Domain;
using ArchUnitNET.Domain.Dependencies;
using ArchUnitNET.Loader;

namespace Controller.Architecture.Tests;

/// <summary>
/// The namespaces of the firmware core and which uses which, read from its IL (signatures and method bodies) by
/// ArchUnitNET: an edge per pair of namespaces, with the type pairs that make it, for the failure messages.
/// </summary>
internal static class FirmwareNamespaces
{
    /// <summary>The core's root namespace; its folders are the namespaces the rules speak of.</summary>
    public const string Root = "Controller.Firmware";

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>>> LazyEdges = new(Load);

    /// <summary>Gets, for each namespace of the core, the other namespaces of the core it uses, each with examples.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> Edges => LazyEdges.Value;

    /// <summary>Gets the namespaces one namespace uses.</summary>
    /// <param name="name">The namespace, e.g. "Controller.Firmware.Volumes".</param>
    /// <returns>The namespaces it uses, each with up to four "Type -> Type" examples.</returns>
    public static IReadOnlyDictionary<string, string[]> UsedBy(string name) =>
        Edges.TryGetValue(name, out IReadOnlyDictionary<string, string[]>? used) ? used : new Dictionary<string, string[]>();

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> Load()
    {
        ArchUnitNET.Domain.Architecture architecture = new ArchLoader().LoadAssemblies(typeof(Firmware.StorageSubsystem).Assembly).Build();
        Dictionary<string, Dictionary<string, SortedSet<string>>> edges = new(StringComparer.Ordinal);
        foreach (IType type in architecture.Types)
        {
            string? from = type.Namespace?.FullName;
            if (from is null || !IsCore(from))
            {
                continue;
            }

            foreach (ITypeDependency dependency in type.Dependencies)
            {
                string? to = dependency.Target.Namespace?.FullName;
                if (to is null || to == from || !IsCore(to))
                {
                    continue;
                }

                if (!edges.TryGetValue(from, out Dictionary<string, SortedSet<string>>? targets))
                {
                    edges[from] = targets = new(StringComparer.Ordinal);
                }

                if (!targets.TryGetValue(to, out SortedSet<string>? examples))
                {
                    targets[to] = examples = new(StringComparer.Ordinal);
                }

                examples.Add(type.Name + " -> " + dependency.Target.Name);
            }
        }

        return edges.ToDictionary(
            edge => edge.Key,
            edge => (IReadOnlyDictionary<string, string[]>)edge.Value.ToDictionary(target => target.Key, target => target.Value.Take(4).ToArray(), StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    private static bool IsCore(string name) => name == Root || name.StartsWith(Root + ".", StringComparison.Ordinal);
}
