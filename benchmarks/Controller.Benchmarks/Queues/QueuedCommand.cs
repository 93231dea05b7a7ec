// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Benchmarks.Queues;

/// <summary>A command-sized item: what an MP queue slot carries besides references.</summary>
public readonly record struct QueuedCommand(long Lba, long Tag);
