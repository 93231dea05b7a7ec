// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Microsoft.Extensions.Logging;

namespace Controller.Daemon;

/// <summary>The controllerd command line, checked (README.md, "controllerd"; docs/controllerd.md, "Running").</summary>
/// <param name="ConfigPath">The configuration file.</param>
/// <param name="Listen">The <c>--listen</c> text, checked after the configuration is read (it overrides its <c>listen</c>), or null.</param>
/// <param name="StopTimeout">How long a stop waits for the commands in flight.</param>
/// <param name="Pcap">The trace to record, or null.</param>
/// <param name="ResetState">Whether the kept pair state is dropped (<c>--reset-state</c>).</param>
/// <param name="CheckOnly">Whether only the configuration is checked (<c>--check</c>).</param>
/// <param name="LogLevel">The least level logged (<c>--log-level</c>).</param>
internal sealed record DaemonOptions(string ConfigPath, string? Listen, TimeSpan StopTimeout, PcapOptions? Pcap, bool ResetState, bool CheckOnly, LogLevel LogLevel);
