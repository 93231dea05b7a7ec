// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;

namespace Controller.HostSim.Hosts;

/// <summary>
/// Where an embedded controller keeps its volumes when they are files instead of RAM (<c>hostsim load --store</c>):
/// one file per LDEV in a directory, named as controllerd names them (<c>ldev-00-01.img</c>), kept when it exists
/// (its data is the volume's) and created sparse when not, with controllerd's write policies. So a durable-write
/// measurement runs the firmware's own file store and group commit without a daemon, TCP or a second process.
/// </summary>
/// <param name="Directory">The directory of the LDEV files (created when missing).</param>
/// <param name="Policy">Write-through (every acknowledged write synced) or write-back.</param>
internal sealed record EmbeddedStore(string Directory, WriteCachePolicy Policy)
{
    /// <summary>Gets the policy's name as the configuration and the command line spell it.</summary>
    public string PolicyName => Policy == WriteCachePolicy.WriteThrough ? "write-through" : "write-back";

    /// <summary>Opens (or creates) one LDEV's file.</summary>
    /// <param name="id">The LDEV.</param>
    /// <param name="blocks">Its capacity in 512-byte blocks; an existing file must not hold more.</param>
    /// <returns>The file store.</returns>
    /// <exception cref="IOException">The directory or the file cannot be used; the message names it.</exception>
    public FileBlockStore Open(LdevId id, long blocks)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException("cannot create the store directory '" + Directory + "': " + ex.Message, ex);
        }

        string path = Path.Combine(Directory, "ldev-" + id.ToString().Replace(':', '-') + ".img");
        return File.Exists(path) ? FileBlockStore.Open(path, blocks, Policy) : FileBlockStore.Create(path, blocks, Policy);
    }
}
