// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Load;

/// <summary>One command a load issues: a read or write of whole 512-byte blocks on one of its volumes.</summary>
/// <param name="Volume">The index of the volume in the load's LUN set.</param>
/// <param name="IsWrite">True for a write.</param>
/// <param name="Lba">The first block.</param>
/// <param name="Blocks">The number of blocks.</param>
public readonly record struct LoadIo(int Volume, bool IsWrite, long Lba, int Blocks);
