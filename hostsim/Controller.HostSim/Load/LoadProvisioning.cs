// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Globalization;
using Controller.HostSim.Hosts;

namespace Controller.HostSim.Load;

/// <summary>
/// How the embedded volumes got their memory: provisioned before the clock starts (as fio lays out its files before
/// a job), or sparse, each track's memory taken by its first write while the load runs.
/// </summary>
/// <param name="Bytes">The bytes provisioned (0 when sparse).</param>
/// <param name="Seconds">How long provisioning took (not part of the load's time).</param>
/// <param name="SparseReason">Why the volumes were left sparse, or null when provisioned.</param>
internal sealed record LoadProvisioning(long Bytes, double Seconds, string? SparseReason)
{
    /// <summary>Provisions the embedded controller's volumes unless told not to or they would not fit.</summary>
    /// <param name="controller">The embedded controller, before any command.</param>
    /// <param name="sparse">True when the user asked for sparse volumes (--sparse).</param>
    /// <returns>What was done.</returns>
    public static LoadProvisioning Prepare(EmbeddedController controller, bool sparse)
    {
        if (sparse)
        {
            return new LoadProvisioning(0, 0, "--sparse");
        }

        // Provisioning commits the whole capacity at once: leave half of what this process may use for the rest.
        long capacity = controller.CapacityBytes;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (capacity > available / 2)
        {
            return new LoadProvisioning(0, 0, string.Create(CultureInfo.InvariantCulture, $"{Mib(capacity)} of volumes exceed half the {Mib(available)} this process may use"));
        }

        long start = Stopwatch.GetTimestamp();
        long bytes = controller.Provision();
        return new LoadProvisioning(bytes, Stopwatch.GetElapsedTime(start).TotalSeconds, null);
    }

    /// <summary>Gets the report's line.</summary>
    public string Text => SparseReason is null
        ? string.Create(CultureInfo.InvariantCulture, $"{Mib(Bytes)} provisioned before the clock in {Seconds:F2} s (--sparse: memory on first write)")
        : "sparse, memory on first write (" + SparseReason + ")";

    private static string Mib(long bytes)
    {
        return (bytes >> 20).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
    }
}
