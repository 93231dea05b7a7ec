// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Tests.Queues;

/// <summary>A queued item that names its producer and its place in that producer's order.</summary>
internal readonly record struct StampedItem(int Producer, int Sequence);
