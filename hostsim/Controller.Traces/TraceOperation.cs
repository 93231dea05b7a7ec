// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces;

/// <summary>What a block-trace record asks of its device.</summary>
public enum TraceOperation
{
    /// <summary>Read bytes; replayed as READ(16).</summary>
    Read,

    /// <summary>Write bytes; replayed as WRITE(16).</summary>
    Write,

    /// <summary>Make written data durable (fsync, a cache flush); replayed as SYNCHRONIZE CACHE(16).</summary>
    Flush,
}
