// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>Where a crash-test round kills the controller: what it is doing at that moment (docs/durability.md, "The crash test").</summary>
internal enum CrashScenario
{
    /// <summary>Stamped writes to every P-VOL, the mirrors in PAIR.</summary>
    Load,

    /// <summary>The initial copy of a fresh pair (PAIR CREATE), under load.</summary>
    InitialCopy,

    /// <summary>A resync (PAIR RESYNC of a pair split in the same round), under load.</summary>
    Resync,

    /// <summary>An atomic split of a list of pairs, freeze mechanism, under load.</summary>
    AtomicSplitByListFreeze,

    /// <summary>An atomic split of a list of pairs, sequence-cut mechanism, under load.</summary>
    AtomicSplitByListSequenceCut,

    /// <summary>An atomic split by mirror name, freeze mechanism, under load.</summary>
    AtomicSplitByNameFreeze,

    /// <summary>An atomic split by mirror name, sequence-cut mechanism, under load.</summary>
    AtomicSplitByNameSequenceCut,

    /// <summary>A swap resync (the takeover) of a determining remote pair to a second controllerd, SS1, SS2 or both killed, under load.</summary>
    DeterminingSwap,
}
