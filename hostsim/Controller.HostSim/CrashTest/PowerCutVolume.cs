// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// One controller's connection to a power-cut disk, which outlives the controller: the disk is handed to the
/// controller restarted after the cut, so disposing the old controller must not dispose it, and nothing the old
/// controller does after the cut may reach it (its power is gone).
/// </summary>
internal sealed class PowerCutVolume(PowerCutStore disk) : IBlockDevice
{
    private volatile bool _dead;

    /// <inheritdoc/>
    public long BlockCount => disk.BlockCount;

    /// <inheritdoc/>
    public WriteCachePolicy CachePolicy => disk.CachePolicy;

    /// <summary>Cuts this controller off the disk: every later transfer fails and changes nothing.</summary>
    public void Disconnect()
    {
        _dead = true;
    }

    /// <inheritdoc/>
    public MediaStatus Read(long lba, Span<byte> destination)
    {
        return _dead ? MediaStatus.MediumError : disk.Read(lba, destination);
    }

    /// <inheritdoc/>
    public MediaStatus Write(long lba, ReadOnlySpan<byte> source)
    {
        return _dead ? MediaStatus.MediumError : disk.Write(lba, source);
    }

    /// <inheritdoc/>
    public MediaStatus Flush()
    {
        return _dead ? MediaStatus.MediumError : disk.Flush();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The disk belongs to the run, not to the controller.
        _dead = true;
    }
}
