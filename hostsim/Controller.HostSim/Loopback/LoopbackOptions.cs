// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;

namespace Controller.HostSim.Loopback;

/// <summary>What <c>hostsim loopback</c> runs.</summary>
internal sealed record LoopbackOptions
{
    public double Seconds { get; init; } = 10;

    public double WarmupSeconds { get; init; } = 2;

    public int QueueDepth { get; init; } = 32;

    public int BlockBytes { get; init; } = 4096;

    public bool FirstBurst { get; init; }

    /// <summary>Gets a controller to drive (e.g. controllerd); null runs an embedded one behind a real loopback TCP listener.</summary>
    public IPEndPoint? Target { get; init; }

    /// <summary>Gets a value indicating whether to use the in-process pipes instead of TCP (the baseline without sockets).</summary>
    public bool InProcess { get; init; }

    public int TargetPortId { get; init; } = 0x400104;

    public ushort Lun { get; init; } = 1;

    public int InitiatorPortId { get; init; } = 0x010200;

    /// <summary>Gets the LBAs written, from 0: random 4 KiB-aligned within it (256 MiB by default).</summary>
    public long SpanBlocks { get; init; } = 256L * 1024 * 1024 / 512;

    public ulong Seed { get; init; } = 1;
}
