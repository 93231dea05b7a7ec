// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Persistence;

/// <summary>
/// The subsystem as the write-intent log sees it (docs/durability.md, "The write-intent log"): where it starts an
/// LDEV's intents, how it drains the writes in flight before a sweep clears them, and where the sweeps run.
/// </summary>
/// <remarks>
/// <see cref="StorageSubsystem"/> implements it. The log asks for these three things and no more, so that
/// <c>Persistence</c> stays below the root namespace, which assembles a subsystem from every namespace of the core
/// (docs/architecture.md, "Layers inside the core"). It is called at a start and once per sweep, never per I/O.
/// </remarks>
public interface IWriteIntentSubsystem
{
    /// <summary>Gets where the sweeps run.</summary>
    IScheduler Scheduler { get; }

    /// <summary>Starts keeping an attached LDEV's write intents.</summary>
    /// <param name="ldev">An LDEV of the subsystem, with no intent log yet.</param>
    /// <param name="medium">Where the intents are kept.</param>
    /// <param name="kept">The regions already kept there (all zero for a fresh record).</param>
    /// <param name="regionsKept">Told, off the MPs, after each keep of new regions (so a sweep can be scheduled).</param>
    /// <returns>The LDEV's intent log.</returns>
    WriteIntent KeepWriteIntents(Ldev ldev, IWriteIntentMedium medium, ReadOnlySpan<ulong> kept, Action? regionsKept = null);

    /// <summary>Waits, without blocking, until every host write admitted before now has completed on every volume it reaches.</summary>
    /// <param name="drained">Called once, on an MP (or at once when there is no LDEV), when they have.</param>
    void DrainWrites(Action drained);
}
