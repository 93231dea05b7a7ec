// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>
/// What a mirror write or a copied track is written for: a relation between two volumes that a layer above defines
/// (a pair, <c>Pairs.MirrorPair</c>). A <see cref="BlockCommand"/> carries it to the MP that runs the write; the
/// volume layer never looks inside, so it depends on nothing above it (docs/architecture.md, "Layers inside the core").
/// </summary>
public abstract class VolumeRelation
{
    /// <summary>Initializes a relation (for a layer above to derive from).</summary>
    protected VolumeRelation()
    {
    }
}
