// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;

namespace Controller.HostSim.SlowReader;

/// <summary>What <c>hostsim slow-reader</c> runs and the budgets it checks.</summary>
internal sealed record SlowReaderOptions
{
    /// <summary>Gets the controller's FCIP listener.</summary>
    public required IPEndPoint Target { get; init; }

    /// <summary>Gets the controller's process id, whose VmRSS (/proc/PID/status) is measured.</summary>
    public required int Pid { get; init; }

    /// <summary>Gets the attacking connections.</summary>
    public int Connections { get; init; } = 1;

    /// <summary>Gets the READs each attacker sends (and never reads the answers of).</summary>
    public int Reads { get; init; } = 400;

    /// <summary>Gets the bytes of each attacking READ.</summary>
    public int ReadBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Gets the seconds of normal load measured before and again during the attack.</summary>
    public double Seconds { get; init; } = 10;

    /// <summary>Gets the normal load's queue depth (4 KiB random reads and writes, half each).</summary>
    public int QueueDepth { get; init; } = 16;

    /// <summary>Gets the most the daemon's RSS may grow over its level before the attack.</summary>
    public long MaxGrowthBytes { get; init; } = 80L * 1024 * 1024;

    /// <summary>Gets the least share of its IOPS the normal load must keep during the attack.</summary>
    public double MinRatio { get; init; } = 0.8;

    /// <summary>Gets the seconds within which the RSS must come back after the attackers leave.</summary>
    public double ReturnSeconds { get; init; } = 10;

    /// <summary>Gets how close to the level before the attack the RSS must come to count as returned.</summary>
    public long ReturnMarginBytes { get; init; } = 16L * 1024 * 1024;

    public int TargetPortId { get; init; } = 0x400104;

    /// <summary>Gets the LUN the normal load uses.</summary>
    public ushort Lun { get; init; } = 1;

    /// <summary>Gets the LUN the attackers read.</summary>
    public ushort AttackLun { get; init; } = 2;

    public int InitiatorPortId { get; init; } = 0x010200;

    /// <summary>
    /// Gets the first attacker's initiator port ID; attacker i logs in as this + i. Distinct from the normal host's:
    /// a second login of one port ID logs the first out (implicit logout, docs/protocol.md), which would end the attack.
    /// </summary>
    public int AttackerPortIdBase { get; init; } = 0x020001;
}
