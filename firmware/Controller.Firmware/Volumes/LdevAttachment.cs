// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>
/// What a layer above the volumes keeps on one LDEV for its MP to read without a lock: the pairs publish the
/// volume's pairing here (<c>Pairs.VolumePairing</c>). The volume layer holds it and never looks inside, so it
/// depends on nothing above it (docs/architecture.md, "Layers inside the core").
/// </summary>
public abstract class LdevAttachment
{
    /// <summary>Initializes an attachment (for a layer above to derive from).</summary>
    protected LdevAttachment()
    {
    }
}
