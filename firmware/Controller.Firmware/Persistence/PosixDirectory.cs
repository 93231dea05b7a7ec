// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;

namespace Controller.Firmware.Persistence;

/// <summary>
/// fsync of a directory: after a rename, the new name is durable only once its directory is synced (POSIX); .NET has
/// no call for it. A no-op where there is no such thing (Windows, where the rename is journaled by NTFS).
/// </summary>
internal static partial class PosixDirectory
{
    public static void Sync(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // O_RDONLY (0) opens a directory on Linux and macOS alike; O_DIRECTORY's value differs between them.
        int fd = Open(directory, 0);
        if (fd < 0)
        {
            throw new IOException("cannot open the directory '" + directory + "' to sync it: errno " + Marshal.GetLastPInvokeError());
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException("fsync of the directory '" + directory + "' failed: errno " + Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
