// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// A volume's pairing as the pairs keep it on the LDEV (<see cref="Ldev.Attachment"/>): the volume layer holds the
/// snapshot without knowing what it is, the pairs and the write path read it here.
/// </summary>
internal static class LdevPairing
{
    extension(Ldev volume)
    {
        /// <summary>
        /// Gets or sets the pairs this volume takes part in: an immutable snapshot the write path reads without a
        /// lock, replaced whole by the pair registry when a pair is created, swapped or deleted.
        /// </summary>
        internal VolumePairing Pairing
        {
            // VolumePairing is sealed: the test is one compare of the object's type, no walk.
            get => volume.Attachment as VolumePairing ?? VolumePairing.None;
            set => volume.Attachment = value;
        }
    }
}
