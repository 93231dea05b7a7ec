// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Controller.Firmware.Media;

/// <summary>
/// fdatasync(2) for the file store. .NET's <see cref="RandomAccess.FlushToDisk"/> is fsync, which also commits the
/// inode's times: after every overwrite that is a journal commit the data does not need. fdatasync writes the data and
/// only the metadata needed to read it back (a grown size, new extents), which is what an acknowledged write needs.
/// </summary>
internal static partial class FileDataSync
{
    private const int Eintr = 4;
    private const uint SyncFileRangeWrite = 2;

    /// <summary>Makes the data written to a file through any handle durable.</summary>
    /// <param name="handle">An open handle of the file.</param>
    /// <returns>Good, or MediumError when the OS reports an I/O error.</returns>
    public static MediaStatus Sync(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                RandomAccess.FlushToDisk(handle);
                return MediaStatus.Good;
            }
            catch (IOException)
            {
                return MediaStatus.MediumError;
            }
        }

        bool added = false;
        try
        {
            // Holds the descriptor open for the call, so a concurrent Dispose cannot close (and reuse) it under us.
            handle.DangerousAddRef(ref added);
            int descriptor = (int)handle.DangerousGetHandle();
            while (true)
            {
                if (FDataSync(descriptor) == 0)
                {
                    return MediaStatus.Good;
                }

                if (Marshal.GetLastPInvokeError() != Eintr)
                {
                    return MediaStatus.MediumError;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return MediaStatus.MediumError;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Starts the write-back of every dirty page of a file, without waiting for it (sync_file_range with
    /// SYNC_FILE_RANGE_WRITE over the whole file). It reports no error and consumes none: a write-back error still
    /// reaches the next fdatasync on every open file. A no-op elsewhere than on Linux.
    /// </summary>
    /// <param name="handle">An open handle of the file.</param>
    public static void StartWriteback(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            _ = SyncFileRange((int)handle.DangerousGetHandle(), 0, 0, SyncFileRangeWrite);
        }
        catch (ObjectDisposedException)
        {
            // Closed by a concurrent dispose: nothing left to start.
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int descriptor, long offset, long length, uint flags);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(int descriptor);
}
