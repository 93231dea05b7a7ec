// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>
/// An answer held until the LDEV's media is synced (<see cref="GroupCommit"/>): a host write (or its own part of a
/// mirrored write's fan-in), a mirror write's part, or a SYNCHRONIZE CACHE. A small struct copied into the group's ring.
/// </summary>
internal readonly struct DurableAck
{
    /// <summary>Initializes a held answer.</summary>
    /// <param name="command">The command answered when the sync is done.</param>
    /// <param name="ticket">The group's write count the sync must cover (<see cref="GroupCommit.Issue"/>).</param>
    /// <param name="fanIn">For a write with mirrors, the fan-in whose part this is; null to answer the command itself.</param>
    public DurableAck(in BlockCommand command, long ticket, IBlockCommandCompletion? fanIn)
    {
        Command = command;
        Ticket = ticket;
        FanIn = fanIn;
    }

    /// <summary>Gets the command.</summary>
    public BlockCommand Command { get; }

    /// <summary>Gets the write count a sync must cover before the answer.</summary>
    public long Ticket { get; }

    /// <summary>Gets the fan-in to release, or null.</summary>
    public IBlockCommandCompletion? FanIn { get; }
}
