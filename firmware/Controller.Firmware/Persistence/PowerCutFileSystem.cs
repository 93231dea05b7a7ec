// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Persistence;

/// <summary>
/// A file system in memory that keeps across a simulated power cut only what a Linux file system promises to keep
/// (POSIX fsync semantics, docs/durability.md), so that the state files' sync discipline can be tested by cutting the
/// power (<see cref="CutPower"/>) at any operation:
/// <list type="bullet">
/// <item>File data (appends, a truncation, an O_TRUNC create over an existing file) is volatile until the file is
/// synced; at a cut each unsynced append is, at seeded random, dropped, kept, or torn (a prefix of its bytes kept),
/// and each unsynced length change happened or not. A later append that survives an earlier dropped one leaves zeros
/// between them, as a page written back out of order does.</item>
/// <item>A name change (a create of a new file, a rename, a delete) is volatile until its directory is synced, even
/// when the file's data was synced; at a cut each unsynced name change happened or not, in order (one whose file is
/// no longer at its source by then is skipped). A file renamed without a directory sync may come back under its old
/// name, a file created without one may be gone.</item>
/// </list>
/// Readers see everything written (as the page cache answers). Directories are taken as existing and durable once
/// created, and paths are compared as strings (the store names its files by combining one directory path). The power
/// can also be armed to go at a given operation (<see cref="CutAtOperation"/>): that operation and every one after it
/// throw <see cref="PowerCutException"/>, so a cut can land inside a checkpoint or between a journal append and its
/// sync. One lock guards it all: a test model, not a fast one.
/// </summary>
public sealed class PowerCutFileSystem : IStateFileSystem
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);

    // The names as a reader sees them now, and as the disk holds them (changes up to their directory's last sync).
    private Dictionary<string, Inode> _names = new(StringComparer.Ordinal);
    private Dictionary<string, Inode> _durableNames = new(StringComparer.Ordinal);

    // Name changes whose directory has not been synced since, in the order they were made.
    private List<NameChange> _unsyncedNames = [];

    // Every file with data that may still change at a cut (reachable by a name now or on the disk).
    private HashSet<Inode> _inodes = [];

    // A power cycle's number: files opened before a cut are dead after it (the controller that held them is gone).
    private int _epoch;
    private bool _off;
    private long _operations;

    private enum NameChangeKind
    {
        Create,
        Move,
        Delete,
    }

    /// <summary>
    /// Gets or sets the operation (counted from 1 since the file system was made) at which the power goes: it and every
    /// operation after it throw <see cref="PowerCutException"/> until <see cref="CutPower"/>. 0: never. Creates,
    /// opens, appends, length changes, renames, deletes and syncs count; reads do not.
    /// </summary>
    public long CutAtOperation { get; set; }

    /// <summary>Gets the operations made so far (the count <see cref="CutAtOperation"/> is compared with).</summary>
    public long Operations
    {
        get
        {
            lock (_lock)
            {
                return _operations;
            }
        }
    }

    /// <summary>Gets whether the power is off (an armed cut fired and <see cref="CutPower"/> has not run yet).</summary>
    public bool IsOff
    {
        get
        {
            lock (_lock)
            {
                return _off;
            }
        }
    }

    /// <summary>Gets the name changes not yet made durable by a directory sync.</summary>
    public int UnsyncedNameChanges
    {
        get
        {
            lock (_lock)
            {
                return _unsyncedNames.Count;
            }
        }
    }

    /// <inheritdoc/>
    public void CreateDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        lock (_lock)
        {
            _directories.Add(path);
        }
    }

    /// <inheritdoc/>
    public bool Exists(string path)
    {
        lock (_lock)
        {
            return _names.ContainsKey(path);
        }
    }

    /// <inheritdoc/>
    public byte[] ReadAll(string path)
    {
        lock (_lock)
        {
            return _names.TryGetValue(path, out Inode? inode) ? inode.Current.AsSpan(0, inode.Length).ToArray() : throw new FileNotFoundException("no file '" + path + "'", path);
        }
    }

    /// <inheritdoc/>
    public IStateFile Create(string path)
    {
        lock (_lock)
        {
            Operate("create " + path);
            if (_names.TryGetValue(path, out Inode? existing))
            {
                // O_TRUNC on the same file: a change of its data, not of its name.
                existing.SetLength(0);
                return new OpenFile(this, existing, _epoch);
            }

            string directory = DirectoryOf(path);
            Inode inode = new();
            _inodes.Add(inode);
            _names[path] = inode;
            _unsyncedNames.Add(new NameChange(NameChangeKind.Create, directory, path, path, inode));
            return new OpenFile(this, inode, _epoch);
        }
    }

    /// <inheritdoc/>
    public IStateFile OpenAppend(string path)
    {
        lock (_lock)
        {
            Operate("open " + path);
            return _names.TryGetValue(path, out Inode? inode) ? new OpenFile(this, inode, _epoch) : throw new FileNotFoundException("no file '" + path + "'", path);
        }
    }

    /// <inheritdoc/>
    public void Move(string source, string destination)
    {
        lock (_lock)
        {
            Operate("rename " + source + " to " + destination);
            if (!_names.Remove(source, out Inode? inode))
            {
                throw new FileNotFoundException("no file '" + source + "' to rename", source);
            }

            string directory = DirectoryOf(destination);
            if (directory != DirectoryOf(source))
            {
                throw new IOException("the model renames within one directory only: '" + source + "' to '" + destination + "'");
            }

            _names[destination] = inode;
            _unsyncedNames.Add(new NameChange(NameChangeKind.Move, directory, source, destination, inode));
        }
    }

    /// <inheritdoc/>
    public void Delete(string path)
    {
        lock (_lock)
        {
            Operate("delete " + path);
            if (_names.Remove(path, out Inode? inode))
            {
                _unsyncedNames.Add(new NameChange(NameChangeKind.Delete, DirectoryOf(path), path, path, inode));
            }
        }
    }

    /// <inheritdoc/>
    public void SyncDirectory(string path)
    {
        lock (_lock)
        {
            Operate("fsync of the directory " + path);
            if (!_directories.Contains(path))
            {
                throw new DirectoryNotFoundException("no directory '" + path + "'");
            }

            List<NameChange> left = [];
            foreach (NameChange change in _unsyncedNames)
            {
                if (change.Directory == path)
                {
                    Apply(change, _durableNames);
                }
                else
                {
                    left.Add(change);
                }
            }

            _unsyncedNames = left;
        }
    }

    /// <summary>
    /// Cuts the power and brings it back: every unsynced append dropped, kept or torn, every unsynced length change
    /// and name change made or not, at seeded random (see the class remarks); files opened before are dead. The file
    /// system then holds only what survived, and the armed cut is cleared.
    /// </summary>
    /// <param name="random">The draws.</param>
    /// <returns>The unsynced changes lost or torn (appends, length changes and name changes).</returns>
    public int CutPower(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        lock (_lock)
        {
            int damaged = 0;
            foreach (Inode inode in _inodes)
            {
                damaged += inode.Cut(random);
            }

            foreach (NameChange change in _unsyncedNames)
            {
                if (random.Next(2) == 0)
                {
                    Apply(change, _durableNames);
                }
                else
                {
                    damaged++;
                }
            }

            _unsyncedNames = [];
            _names = new Dictionary<string, Inode>(_durableNames, StringComparer.Ordinal);
            _inodes = [.. _durableNames.Values];
            _epoch++;
            _off = false;
            CutAtOperation = 0;
            return damaged;
        }
    }

    private static string DirectoryOf(string path)
    {
        return Path.GetDirectoryName(path) ?? string.Empty;
    }

    // A name change reaching the disk; one whose file is no longer at its source there (an earlier change that did
    // not happen) is skipped, as the directory never held what it would change.
    private static void Apply(NameChange change, Dictionary<string, Inode> names)
    {
        switch (change.Kind)
        {
            case NameChangeKind.Create:
                names[change.Destination] = change.Inode;
                break;
            case NameChangeKind.Move:
                if (names.TryGetValue(change.Source, out Inode? moved) && ReferenceEquals(moved, change.Inode))
                {
                    names.Remove(change.Source);
                    names[change.Destination] = moved;
                }

                break;
            default:
                if (names.TryGetValue(change.Source, out Inode? deleted) && ReferenceEquals(deleted, change.Inode))
                {
                    names.Remove(change.Source);
                }

                break;
        }
    }

    // Under the lock, before a change or a sync: counts it, and refuses it once the power is gone.
    private void Operate(string what)
    {
        if (_off)
        {
            throw new PowerCutException("the power is off: " + what + " never happened");
        }

        _operations++;
        if (_operations == CutAtOperation)
        {
            _off = true;
            throw new PowerCutException("the power was cut at operation " + _operations + " (" + what + ", which never happened)");
        }
    }

    private readonly record struct NameChange(NameChangeKind Kind, string Directory, string Source, string Destination, Inode Inode);

    // One change of a file's data since its last sync: bytes written at an offset (an append or an overwrite), or a new length (Data null).
    private readonly record struct DataChange(long Offset, byte[]? Data, long NewLength);

    // A file's data: what readers see now, what the disk holds (as of the last sync), and the changes between.
    private sealed class Inode
    {
        private readonly List<DataChange> _unsynced = [];
        private byte[] _stable = [];

        public byte[] Current { get; private set; } = [];

        public int Length { get; private set; }

        public void Append(ReadOnlySpan<byte> data)
        {
            _unsynced.Add(new DataChange(Length, data.ToArray(), 0));
            Current = Put(Current, Length, Length, data, out int length);
            Length = length;
        }

        public void WriteAt(long offset, ReadOnlySpan<byte> data)
        {
            _unsynced.Add(new DataChange(offset, data.ToArray(), 0));
            Current = Put(Current, Length, (int)offset, data, out int length);
            Length = length;
        }

        public void SetLength(long length)
        {
            _unsynced.Add(new DataChange(0, null, length));
            Current = Resize(Current, Length, (int)length);
            Length = (int)length;
        }

        public void Sync()
        {
            _stable = Current.AsSpan(0, Length).ToArray();
            _unsynced.Clear();
        }

        // Replays the unsynced changes over the stable data, each kept, dropped or torn at random; the result is both
        // what the disk holds and what readers see after the cut.
        public int Cut(SplitMix64 random)
        {
            // A copy: the replay writes in place, and Current must never share the stable array.
            byte[] data = (byte[])_stable.Clone();
            int length = _stable.Length;
            int damaged = 0;
            foreach (DataChange change in _unsynced)
            {
                if (change.Data is null)
                {
                    if (random.Next(2) == 0)
                    {
                        data = Resize(data, length, (int)change.NewLength);
                        length = (int)change.NewLength;
                    }
                    else
                    {
                        damaged++;
                    }

                    continue;
                }

                int kept = random.Next(3) switch
                {
                    0 => 0,
                    1 => change.Data.Length,
                    _ => random.Next(change.Data.Length + 1),
                };
                if (kept > 0)
                {
                    data = Put(data, length, (int)change.Offset, change.Data.AsSpan(0, kept), out length);
                }

                damaged += kept < change.Data.Length ? 1 : 0;
            }

            _stable = data.AsSpan(0, length).ToArray();
            Current = data;
            Length = length;
            _unsynced.Clear();
            return damaged;
        }

        // Writes bytes at an offset of a buffer holding 'length' bytes (zeros fill any gap); returns the buffer, grown if needed.
        private static byte[] Put(byte[] buffer, int length, int offset, ReadOnlySpan<byte> data, out int newLength)
        {
            newLength = Math.Max(length, offset + data.Length);
            byte[] target = Resize(buffer, length, newLength);
            data.CopyTo(target.AsSpan(offset));
            return target;
        }

        private static byte[] Resize(byte[] buffer, int length, int newLength)
        {
            if (newLength <= buffer.Length)
            {
                // Bytes beyond a shorter length read as zeros if the file grows again.
                buffer.AsSpan(Math.Min(length, newLength)..Math.Max(length, newLength)).Clear();
                return buffer;
            }

            byte[] grown = new byte[Math.Max(newLength, buffer.Length * 2)];
            buffer.AsSpan(0, length).CopyTo(grown);
            return grown;
        }
    }

    private sealed class OpenFile(PowerCutFileSystem files, Inode inode, int epoch) : IStateFile
    {
        public void Append(ReadOnlySpan<byte> data)
        {
            lock (files._lock)
            {
                Check("append");
                inode.Append(data);
            }
        }

        public void SetLength(long length)
        {
            lock (files._lock)
            {
                Check("truncate");
                inode.SetLength(length);
            }
        }

        public void WriteAt(long offset, ReadOnlySpan<byte> data)
        {
            lock (files._lock)
            {
                Check("write");
                inode.WriteAt(offset, data);
            }
        }

        public void Sync()
        {
            lock (files._lock)
            {
                Check("fsync");
                inode.Sync();
            }
        }

        public void Dispose()
        {
            // Closing a file syncs nothing.
        }

        private void Check(string what)
        {
            if (epoch != files._epoch)
            {
                throw new PowerCutException("a file opened before a power cut is gone: " + what + " never happened");
            }

            files.Operate(what);
        }
    }
}
