// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Persistence;

namespace Controller.HostSim.Tests.CrashTest;

/// <summary>
/// A mutant of the state files' sync discipline, for the power-cut run to catch: forwards every call to the real
/// (power-cut) file system except the syncs it is told to skip, which return as if done.
/// </summary>
public sealed class PowerCutSkippedSync(IStateFileSystem files, PowerCutSkippedSync.Skip skip) : IStateFileSystem
{
    // What the last name-changing call was: the directory sync right after a rename is the checkpoint's.
    private bool _renamedLast;

    [Flags]
    public enum Skip
    {
        None = 0,

        /// <summary>The fsync of the journal after an append (the commit before a command's answer).</summary>
        JournalSync = 1,

        /// <summary>The directory fsync right after the checkpoint's rename (a later one, after the new journal, remains).</summary>
        DirectorySyncAfterRename = 2,

        /// <summary>The fsync of a write-intent record (a keep): writes then run with their region's intent volatile.</summary>
        IntentSync = 4,
    }

    public void CreateDirectory(string path) => files.CreateDirectory(path);

    public bool Exists(string path) => files.Exists(path);

    public byte[] ReadAll(string path) => files.ReadAll(path);

    public IStateFile Create(string path)
    {
        _renamedLast = false;
        return Wrap(path, files.Create(path));
    }

    public IStateFile OpenAppend(string path)
    {
        return Wrap(path, files.OpenAppend(path));
    }

    public void Move(string source, string destination)
    {
        files.Move(source, destination);
        _renamedLast = true;
    }

    public void Delete(string path)
    {
        _renamedLast = false;
        files.Delete(path);
    }

    public void SyncDirectory(string path)
    {
        bool afterRename = _renamedLast;
        _renamedLast = false;
        if (afterRename && skip.HasFlag(Skip.DirectorySyncAfterRename))
        {
            return;
        }

        files.SyncDirectory(path);
    }

    private IStateFile Wrap(string path, IStateFile file)
    {
        string name = Path.GetFileName(path);
        if (name.StartsWith("intent-", StringComparison.Ordinal) && skip.HasFlag(Skip.IntentSync))
        {
            return new NoSync(file, keepFirst: false);
        }

        return name == ControllerStateStore.JournalFile && skip.HasFlag(Skip.JournalSync) ? new NoSync(file, keepFirst: true) : file;
    }

    // Every sync of a file, or (the journal) every sync after its header's, which the checkpoint's start keeps.
    private sealed class NoSync(IStateFile file, bool keepFirst) : IStateFile
    {
        private bool _headerSynced = !keepFirst;

        public void Append(ReadOnlySpan<byte> data) => file.Append(data);

        public void SetLength(long length) => file.SetLength(length);

        public void WriteAt(long offset, ReadOnlySpan<byte> data) => file.WriteAt(offset, data);

        public void Sync()
        {
            if (!_headerSynced)
            {
                _headerSynced = true;
                file.Sync();
            }
        }

        public void Dispose() => file.Dispose();
    }
}
