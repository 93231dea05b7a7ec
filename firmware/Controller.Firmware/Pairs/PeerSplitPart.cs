// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;

namespace Controller.Firmware.Pairs;

/// <summary>The peer's share of a cross-subsystem atomic split, at its coordinator.</summary>
internal sealed class PeerSplitPart(IRemoteCopyPath path, PairAddress[] members, MirrorPair[] feeding)
{
    /// <summary>Gets the path to the peer.</summary>
    public IRemoteCopyPath Path { get; } = path;

    /// <summary>Gets the peer's members, in the command's order.</summary>
    public PairAddress[] Members { get; } = members;

    /// <summary>Gets this subsystem's remote pairs that feed the peer's members (a sequence cut rides on their updates).</summary>
    public MirrorPair[] Feeding { get; } = feeding;

    /// <summary>Gets or sets whether the peer was sent a prepare or a commit (so an abort must follow).</summary>
    public bool Contacted { get; set; }

    /// <summary>Gets or sets whether the peer answered that its members are split.</summary>
    public bool Committed { get; set; }
}
