// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.HostSim.Load;

/// <summary>
/// The embedded volumes' file store (<c>--store</c>) and what its group commit did during the load: the syncs run,
/// counted by the firmware, so writes per sync is a measurement, not a setting.
/// </summary>
/// <param name="Directory">The directory of the LDEV files.</param>
/// <param name="Policy">write-through or write-back.</param>
/// <param name="Syncs">The syncs (fdatasync) run while the load ran.</param>
internal sealed record LoadStore(string Directory, string Policy, long Syncs)
{
    /// <summary>Gets the report's line.</summary>
    /// <param name="writes">The writes the load made.</param>
    /// <returns>The line's text.</returns>
    public string Text(long writes)
    {
        string perSync = Syncs == 0 ? "no sync" : (writes / (double)Syncs).ToString("F1", CultureInfo.InvariantCulture) + " writes per sync";
        return string.Create(CultureInfo.InvariantCulture, $"file {Directory}, {Policy}: {Syncs:N0} syncs ({perSync})");
    }
}
