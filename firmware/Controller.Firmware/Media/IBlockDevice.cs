// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Media;

/// <summary>
/// The hardware boundary: the simulated "native" media of one LDEV. Nothing above this interface
/// touches storage directly. Transfers are in whole 512-byte blocks addressed by LBA.
/// </summary>
/// <remarks>
/// Implementations are safe for concurrent calls on different blocks. Two concurrent transfers to the
/// same block have no defined order: as on a real disk, ordering overlapping I/O is the caller's job
/// (the LDEV's owning worker runs its commands one at a time).
/// </remarks>
public interface IBlockDevice : IDisposable
{
    /// <summary>Gets the capacity in 512-byte blocks.</summary>
    long BlockCount { get; }

    /// <summary>Reads whole blocks starting at <paramref name="lba"/>; unwritten blocks read as zeros.</summary>
    /// <param name="lba">The first logical block address.</param>
    /// <param name="destination">The buffer; its length is a multiple of 512 bytes.</param>
    /// <returns><see cref="MediaStatus.Good"/> or the reason the transfer was refused.</returns>
    MediaStatus Read(long lba, Span<byte> destination);

    /// <summary>Writes whole blocks starting at <paramref name="lba"/>.</summary>
    /// <param name="lba">The first logical block address.</param>
    /// <param name="source">The data; its length is a multiple of 512 bytes.</param>
    /// <returns><see cref="MediaStatus.Good"/> or the reason the transfer was refused.</returns>
    MediaStatus Write(long lba, ReadOnlySpan<byte> source);

    /// <summary>
    /// Gets what an acknowledged write means on this medium: volatile (RAM), on stable storage (write-through), or
    /// in a volatile cache until <see cref="Flush"/> (write-back).
    /// </summary>
    WriteCachePolicy CachePolicy { get; }

    /// <summary>
    /// Makes every completed write durable (a no-op for RAM). Safe from any thread, concurrently with transfers: it
    /// covers every write that returned before it was called.
    /// </summary>
    /// <returns><see cref="MediaStatus.Good"/> or <see cref="MediaStatus.MediumError"/>.</returns>
    MediaStatus Flush();
}
