// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Daemon.Configuration;

/// <summary>One <c>lun</c> line: a LUN of a port and the LDEV behind it.</summary>
/// <param name="Lun">The LUN.</param>
/// <param name="Ldev">The LDEV it maps to.</param>
/// <param name="Line">The 1-based line that maps it.</param>
internal sealed record LunMapping(Lun Lun, LdevId Ldev, int Line);
