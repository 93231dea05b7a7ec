// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>A block device that fails reads or writes touching one chosen block with a medium error.</summary>
internal sealed class FaultyBlockDevice(IBlockDevice inner) : IBlockDevice
{
    public long FailWritesAt { get; set; } = -1;

    public long FailReadsAt { get; set; } = -1;

    public long BlockCount => inner.BlockCount;

    public MediaStatus Read(long lba, Span<byte> destination)
    {
        return Touches(FailReadsAt, lba, destination.Length) ? MediaStatus.MediumError : inner.Read(lba, destination);
    }

    public MediaStatus Write(long lba, ReadOnlySpan<byte> source)
    {
        return Touches(FailWritesAt, lba, source.Length) ? MediaStatus.MediumError : inner.Write(lba, source);
    }

    public WriteCachePolicy CachePolicy => inner.CachePolicy;

    public MediaStatus Flush()
    {
        return inner.Flush();
    }

    public void Dispose()
    {
        inner.Dispose();
    }

    private static bool Touches(long bad, long lba, int bytes)
    {
        return bad >= lba && bad < lba + (bytes / 512);
    }
}
