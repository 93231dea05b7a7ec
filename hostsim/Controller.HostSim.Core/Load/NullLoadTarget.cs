// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Load;

/// <summary>A target that answers every command GOOD at once, synchronously: what is left is the load generator's own cost.</summary>
public sealed class NullLoadTarget : ILoadTarget
{
    /// <inheritdoc/>
    public ValueTask<bool> ExecuteAsync(int slot, LoadIo io)
    {
        return new ValueTask<bool>(true);
    }
}
