// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Controller.Daemon.Store;

/// <summary>
/// The exclusive lock of a file store's directory, held for the life of the daemon: two daemons must never open
/// the same LDEV files (issue #18). A kernel lock (flock) on <c>controllerd.lock</c> in the directory, so the
/// kernel releases it however the holder ends, kill -9 included; the file holds the holder's pid for people
/// (<c>cat</c> it) and is left in place at the end, since the lock, not the file, is what excludes.
/// </summary>
internal sealed class StoreDirectoryLock : IDisposable
{
    /// <summary>The lock file's name in the store directory.</summary>
    public const string FileName = "controllerd.lock";

    private readonly FileStream _file;

    private StoreDirectoryLock(FileStream file)
    {
        _file = file;
    }

    /// <summary>Takes the lock of a store directory (which exists), without waiting, and writes this process's pid into the lock file.</summary>
    /// <param name="directory">The store directory.</param>
    /// <returns>The lock; dispose it to release it.</returns>
    /// <exception cref="StoreInUseException">Another process holds it; the message names the directory and the holder's pid.</exception>
    /// <exception cref="IOException">The lock file cannot be created or written.</exception>
    /// <exception cref="UnauthorizedAccessException">The lock file may not be created or opened.</exception>
    public static StoreDirectoryLock Acquire(string directory)
    {
        string path = Path.Combine(directory, FileName);
        FileStream file;
        try
        {
            // FileShare.None: .NET on Unix takes flock(LOCK_EX | LOCK_NB) in the same call as the open (checked:
            // a second process's open fails "being used by another process"), on Windows a share mode no other
            // open passes. Unless System.IO.DisableFileLocking turns .NET's lock off: hence the flock below too.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (IsLockedElsewhere(path))
        {
            throw InUse(directory, path);
        }

        try
        {
            if (!OperatingSystem.IsWindows() && LibC.Flock((int)file.SafeFileHandle.DangerousGetHandle(), LibC.LockExclusive | LibC.LockNonBlocking) != 0)
            {
                int error = Marshal.GetLastPInvokeError();
                if (error == WouldBlock)
                {
                    throw InUse(directory, path);
                }

                throw new IOException("cannot lock " + path + ": " + Marshal.GetPInvokeErrorMessage(error));
            }

            byte[] pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            file.SetLength(0);
            file.Write(pid);
            file.Flush();
            return new StoreDirectoryLock(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Closing the last descriptor releases the flock.
        _file.Dispose();
    }

    // EWOULDBLOCK: 11 on Linux, 35 on macOS and the BSDs.
    private static int WouldBlock => OperatingSystem.IsLinux() ? 11 : 35;

    private static StoreInUseException InUse(string directory, string path)
    {
        int? pid = ReadHolderPid(path);
        string holder = pid is int value ? "pid " + value.ToString(CultureInfo.InvariantCulture) + ", written in " + path : "its pid in " + path + " could not be read";
        return new StoreInUseException("store directory '" + directory + "' is in use by another controllerd (" + holder + "): two daemons must not open the same LDEV files");
    }

    // Whether an open failed because another process holds the lock (and not for another reason, e.g. a lock
    // file that is a directory): probe with a shared lock on a descriptor of our own, released at once.
    private static bool IsLockedElsewhere(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // A sharing violation is the only IOException an existing, openable file gives here.
            return File.Exists(path);
        }

        int fd = LibC.Open(path, LibC.OpenReadOnly);
        if (fd < 0)
        {
            return false;
        }

        bool locked = LibC.Flock(fd, LibC.LockShared | LibC.LockNonBlocking) != 0 && Marshal.GetLastPInvokeError() == WouldBlock;
        LibC.Close(fd);
        return locked;
    }

    // The holder's pid, read without .NET's share lock (which the holder's flock would refuse).
    private static int? ReadHolderPid(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        int fd = LibC.Open(path, LibC.OpenReadOnly);
        if (fd < 0)
        {
            return null;
        }

        byte[] buffer = new byte[32];
        nint read = LibC.Read(fd, buffer, buffer.Length);
        LibC.Close(fd);
        return read > 0 && int.TryParse(Encoding.ASCII.GetString(buffer, 0, (int)read).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }
}
