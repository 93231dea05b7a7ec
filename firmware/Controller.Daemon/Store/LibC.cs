// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;

namespace Controller.Daemon.Store;

/// <summary>
/// The few C library calls the store directory lock needs (Unix only): flock itself, and a plain open/read that
/// does not take .NET's own share lock, so that the pid in a locked file can be read.
/// </summary>
internal static partial class LibC
{
    /// <summary>flock: a shared lock.</summary>
    public const int LockShared = 1;

    /// <summary>flock: an exclusive lock.</summary>
    public const int LockExclusive = 2;

    /// <summary>flock: do not wait for a lock held elsewhere (EWOULDBLOCK instead).</summary>
    public const int LockNonBlocking = 4;

    /// <summary>open: read only.</summary>
    public const int OpenReadOnly = 0;

    /// <summary>Places or removes an advisory lock on an open file; the kernel drops it when the file's last descriptor closes (also on kill -9).</summary>
    /// <param name="fd">The file descriptor.</param>
    /// <param name="operation">LOCK_EX, LOCK_SH or LOCK_UN, with LOCK_NB.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    /// <summary>Opens a file without any lock.</summary>
    /// <param name="path">The path.</param>
    /// <param name="flags">O_RDONLY here.</param>
    /// <returns>The descriptor, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    /// <summary>Reads from a descriptor.</summary>
    /// <param name="fd">The descriptor.</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="count">At most this many.</param>
    /// <returns>The bytes read, 0 at the end, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, [Out] byte[] buffer, nint count);

    /// <summary>Closes a descriptor.</summary>
    /// <param name="fd">The descriptor.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
