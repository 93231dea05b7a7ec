// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// The controller the fuzzer attacks: the FIG 7 ports with small RAM LDEVs for the fuzz host, and a canary port
/// whose LDEV only the canary host sees. Shared by the input generator and the controller it builds.
/// </summary>
public static class FuzzTopology
{
    /// <summary>Port 0x400104: LUNs 0x0001-0x0004.</summary>
    public const int PortA = 0x400104;

    /// <summary>Port 0x421014: LUN 0x0005.</summary>
    public const int PortB = 0x421014;

    /// <summary>The canary port: LUN 0x0001, visible to <see cref="CanaryHost"/> only.</summary>
    public const int CanaryPort = 0x7F0001;

    /// <summary>The initiator the fuzz connections log in as (host group of ports A and B).</summary>
    public const int FuzzHost = 0x010200;

    /// <summary>The canary's initiator: never used as an S_ID by the fuzzer.</summary>
    public const int CanaryHost = 0x0A0A0A;

    /// <summary>
    /// Blocks of each fuzz LDEV: 1 MiB, so that the copy-management commands that start a copy stay cheap and
    /// that LBAs near and beyond the end are easy to hit.
    /// </summary>
    public const int LdevBlocks = 2048;

    /// <summary>
    /// Blocks of the canary LDEV. A different capacity on purpose: even if a garbled pair list ever named the
    /// canary volume, PAIR CREATE would refuse it (CapacityMismatch) rather than copy over it.
    /// </summary>
    public const int CanaryBlocks = 4096;

    /// <summary>The canary LDEV's number (00:10).</summary>
    public const ushort CanaryLdev = 0x10;

    /// <summary>The LUN of each fuzz LDEV; LDEV 00:0n is LUN n.</summary>
    public const int FuzzLuns = 5;

    /// <summary>Gets the target port that maps a fuzz LUN (1-4 on port A, 5 on port B).</summary>
    /// <param name="lun">A fuzz LUN, 1-5.</param>
    /// <returns>The port ID.</returns>
    public static int PortOf(int lun)
    {
        return lun <= 4 ? PortA : PortB;
    }
}
