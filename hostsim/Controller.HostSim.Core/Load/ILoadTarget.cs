// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Load;

/// <summary>
/// Where a load's commands go: a controller through the initiator (<see cref="ScsiLoadTarget"/>), or nothing at all
/// (<see cref="NullLoadTarget"/>, which measures the generator's own cost). Each queue slot of the load calls it
/// with its own slot number, one command at a time, so per-slot buffers need no locking.
/// </summary>
public interface ILoadTarget
{
    /// <summary>Runs one command.</summary>
    /// <param name="slot">The queue slot issuing it (0 to queue depth - 1).</param>
    /// <param name="io">The command.</param>
    /// <returns>True when the target answered GOOD.</returns>
    ValueTask<bool> ExecuteAsync(int slot, LoadIo io);
}
