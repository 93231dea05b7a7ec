// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon;

/// <summary>What controllerd records: --pcap FILE, --pcap-limit SIZE, --pcap-files N.</summary>
/// <param name="Path">The trace file.</param>
/// <param name="LimitBytes">The size at which it rotates, or 0 for none.</param>
/// <param name="Files">The files kept, FILE included.</param>
internal sealed record PcapOptions(string Path, long LimitBytes, int Files);
