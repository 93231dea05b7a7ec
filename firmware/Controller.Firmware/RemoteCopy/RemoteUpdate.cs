// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Firmware.RemoteCopy;

/// <summary>
/// An update copy to a remote mirror's S-VOL: the data of one host write (or one copied track), the S-VOL's address
/// in the peer's namespace, and the origin write's sequence number (the split point of a cross-subsystem sequence
/// cut is expressed in it). The data is the origin's buffer, valid until the update completes.
/// </summary>
/// <param name="SVol">The S-VOL (port ID of the peer, LUN).</param>
/// <param name="Lba">The first block.</param>
/// <param name="Data">The blocks.</param>
/// <param name="Sequence">The origin host write's sequence number; <see cref="long.MaxValue"/> for a copied track.</param>
/// <param name="BeyondCut">The write is beyond the sequence cut of a cross-subsystem atomic split the primary coordinates (its members in the peer only mark it).</param>
public readonly record struct RemoteUpdate(VolumeAddress SVol, long Lba, ArraySegment<byte> Data, long Sequence, bool BeyondCut = false)
{
    /// <summary>Gets whether this is a copied track (initial copy or resync), not a host write.</summary>
    public bool IsCopiedTrack => Sequence == long.MaxValue;
}
