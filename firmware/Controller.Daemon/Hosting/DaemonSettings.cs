// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;

namespace Controller.Daemon.Hosting;

/// <summary>What the hosted services run with, from the command line and the configuration.</summary>
/// <param name="EndPoint">The FCIP listener's address (<c>--listen</c>, else the file's <c>listen</c>).</param>
/// <param name="StopTimeout">How long a stop waits for the commands in flight.</param>
/// <param name="Pcap">The trace to record, or null.</param>
internal sealed record DaemonSettings(IPEndPoint EndPoint, TimeSpan StopTimeout, PcapOptions? Pcap);
