// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Microsoft.Win32.SafeHandles;

namespace Controller.Firmware.Media;

/// <summary>
/// File-backed media: one sparse file per LDEV. The file grows only where blocks are written (the host
/// file system keeps the holes), and a read beyond its end returns zeros, so a new LDEV costs no disk.
/// Transfers use positional I/O (pread/pwrite), safe from many threads at once.
/// </summary>
/// <remarks>
/// A write returns when pwrite has put it in the OS page cache: it survives a process kill there, not a power cut.
/// <see cref="Flush"/> is fdatasync. What an acknowledgement waits for is the <see cref="CachePolicy"/>: with
/// write-through the write path acknowledges only after a flush that began after the write returned (a group commit
/// per LDEV, <c>Volumes.GroupCommit</c>); with write-back a host asks for it (SYNCHRONIZE CACHE, FUA). Disposing the
/// store syncs it first, so a clean shutdown loses nothing in either policy.
/// </remarks>
public sealed class FileBlockStore : IBlockDevice, IWritebackStart
{
    /// <summary>The syncs that can run at once on Linux, each on its own open file (see <see cref="Flush"/>).</summary>
    public const int ConcurrentSyncs = 4;

    private readonly SafeFileHandle _handle;

    // The handles syncs run on: [0] is the write handle, the rest opened with it, before any write, so each reports
    // every write-back error that happens while the store is open. One sync at a time per handle (its gate).
    private readonly SafeFileHandle[] _syncHandles;
    private readonly Lock[] _syncGates;

    private FileBlockStore(string path, SafeFileHandle[] handles, long blockCount, WriteCachePolicy policy)
    {
        Path = path;
        _handle = handles[0];
        _syncHandles = handles;
        _syncGates = new Lock[handles.Length];
        for (int i = 0; i < handles.Length; i++)
        {
            _syncGates[i] = new Lock();
        }

        BlockCount = blockCount;
        CachePolicy = policy;
    }

    /// <inheritdoc/>
    public long BlockCount { get; }

    /// <summary>Gets the path of the backing file.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public WriteCachePolicy CachePolicy { get; }

    /// <summary>Creates a new, empty LDEV file; fails if the file exists.</summary>
    /// <param name="path">The file to create.</param>
    /// <param name="blockCount">The capacity in blocks, 1 to 2^48.</param>
    /// <returns>The store.</returns>
    /// <exception cref="IOException">The file exists or cannot be created; the message names the file.</exception>
    public static FileBlockStore Create(string path, long blockCount)
    {
        return OpenCore(path, blockCount, FileMode.CreateNew, WriteCachePolicy.WriteThrough);
    }

    /// <summary>Creates a new, empty LDEV file with a write policy; fails if the file exists.</summary>
    /// <param name="path">The file to create.</param>
    /// <param name="blockCount">The capacity in blocks, 1 to 2^48.</param>
    /// <param name="policy">Write-through or write-back.</param>
    /// <returns>The store.</returns>
    /// <exception cref="IOException">The file exists or cannot be created; the message names the file.</exception>
    public static FileBlockStore Create(string path, long blockCount, WriteCachePolicy policy)
    {
        return OpenCore(path, blockCount, FileMode.CreateNew, policy);
    }

    /// <summary>Opens an existing LDEV file, keeping its contents.</summary>
    /// <param name="path">The file to open.</param>
    /// <param name="blockCount">The capacity in blocks; the file must not hold data beyond it.</param>
    /// <returns>The store.</returns>
    /// <exception cref="IOException">The file is missing, unreadable or larger than the capacity.</exception>
    public static FileBlockStore Open(string path, long blockCount)
    {
        return OpenCore(path, blockCount, FileMode.Open, WriteCachePolicy.WriteThrough);
    }

    /// <summary>Opens an existing LDEV file with a write policy, keeping its contents.</summary>
    /// <param name="path">The file to open.</param>
    /// <param name="blockCount">The capacity in blocks; the file must not hold data beyond it.</param>
    /// <param name="policy">Write-through or write-back.</param>
    /// <returns>The store.</returns>
    /// <exception cref="IOException">The file is missing, unreadable or larger than the capacity.</exception>
    public static FileBlockStore Open(string path, long blockCount, WriteCachePolicy policy)
    {
        return OpenCore(path, blockCount, FileMode.Open, policy);
    }

    private static FileBlockStore OpenCore(string path, long blockCount, FileMode mode, WriteCachePolicy policy)
    {
        BlockRange.ValidateCapacity(blockCount);
        if (policy is not (WriteCachePolicy.WriteThrough or WriteCachePolicy.WriteBack))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(policy), "a file store is write-through or write-back, not " + policy);
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, mode, FileAccess.ReadWrite, FileShare.Read, FileOptions.RandomAccess);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException("cannot " + (mode == FileMode.Open ? "open" : "create") + " LDEV file '" + path + "': " + ex.Message, ex);
        }

        long length = RandomAccess.GetLength(handle);
        if (length > blockCount * TrackGeometry.BlockSize)
        {
            handle.Dispose();
            throw new IOException("LDEV file '" + path + "' holds " + length + " bytes, more than its capacity of "
                + blockCount + " blocks (" + (blockCount * TrackGeometry.BlockSize) + " bytes)");
        }

        // Elsewhere one handle: FlushFileBuffers needs write access, which the first handle's share mode denies to others.
        SafeFileHandle[] handles = new SafeFileHandle[OperatingSystem.IsLinux() ? ConcurrentSyncs : 1];
        handles[0] = handle;
        int opened = 1;
        try
        {
            for (; opened < handles.Length; opened++)
            {
                // Read access is enough for fdatasync. Opened now, before any write, so each sees every later error.
                handles[opened] = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            for (int i = 0; i < opened; i++)
            {
                handles[i].Dispose();
            }

            throw new IOException("cannot open LDEV file '" + path + "' again to sync it: " + ex.Message, ex);
        }

        return new FileBlockStore(path, handles, blockCount, policy);
    }

    /// <inheritdoc/>
    public MediaStatus Read(long lba, Span<byte> destination)
    {
        MediaStatus status = BlockRange.Check(lba, destination.Length, BlockCount);
        if (status != MediaStatus.Good)
        {
            return status;
        }

        long offset = lba << TrackGeometry.BlockShift;
        try
        {
            while (!destination.IsEmpty)
            {
                int read = RandomAccess.Read(_handle, destination, offset);
                if (read == 0)
                {
                    // Past the end of the file: never written, so zeros.
                    destination.Clear();
                    break;
                }

                destination = destination.Slice(read);
                offset += read;
            }
        }
        catch (IOException)
        {
            return MediaStatus.MediumError;
        }

        return MediaStatus.Good;
    }

    /// <inheritdoc/>
    public MediaStatus Write(long lba, ReadOnlySpan<byte> source)
    {
        MediaStatus status = BlockRange.Check(lba, source.Length, BlockCount);
        if (status != MediaStatus.Good)
        {
            return status;
        }

        try
        {
            RandomAccess.Write(_handle, source, lba << TrackGeometry.BlockShift);
        }
        catch (IOException)
        {
            return MediaStatus.MediumError;
        }

        return MediaStatus.Good;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// fdatasync(2) on Linux (<see cref="FileDataSync"/>), FlushFileBuffers elsewhere. Safe from several threads at
    /// once: each sync runs on a handle no other sync is using (waiting for one when all are busy). Linux reports a
    /// write-back error once per open file, to the first sync that checks: two syncs at once on one handle could see
    /// one fail and the other succeed over the same lost page, so concurrent syncs never share a handle.
    /// </remarks>
    public MediaStatus Flush()
    {
        for (int i = 0; i < _syncGates.Length; i++)
        {
            if (_syncGates[i].TryEnter())
            {
                try
                {
                    return FileDataSync.Sync(_syncHandles[i]);
                }
                finally
                {
                    _syncGates[i].Exit();
                }
            }
        }

        lock (_syncGates[0])
        {
            return FileDataSync.Sync(_syncHandles[0]);
        }
    }

    /// <inheritdoc/>
    /// <remarks>sync_file_range(SYNC_FILE_RANGE_WRITE) over the whole file on Linux (<see cref="FileDataSync.StartWriteback"/>).</remarks>
    public void StartWriteback()
    {
        FileDataSync.StartWriteback(_handle);
    }

    /// <summary>Syncs the file (a clean shutdown keeps every acknowledged write), then closes it.</summary>
    public void Dispose()
    {
        if (!_handle.IsClosed)
        {
            // A failure cannot be answered to anyone now; the caller that must know flushes first (controllerd does).
            _ = Flush();
        }

        foreach (SafeFileHandle handle in _syncHandles)
        {
            handle.Dispose();
        }
    }
}
