// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Persistence;

/// <summary>
/// The write intents of every LDEV of a file store (docs/durability.md, "The write-intent log"): read at a restart,
/// so a crash marks only the regions a write may have half done, and swept while the controller runs, so the regions
/// kept stay the ones written lately. A sweep: forget what was touched, drain every write in flight, sync the
/// volumes, checkpoint the pair state, then clear the kept regions no write entered meanwhile.
/// </summary>
public sealed class WriteIntentLog : IDisposable, IWorkItem
{
    /// <summary>How often a sweep runs while any region is kept: the window a crash's marks cover, give or take.</summary>
    public static readonly TimeSpan DefaultSweepInterval = TimeSpan.FromSeconds(10);

    private readonly List<WriteIntentFile> _files;
    private readonly List<WriteIntent> _intents;
    private readonly IWriteIntentSubsystem _subsystem;
    private readonly PairStateKeeper _keeper;
    // _lock guards the flags and the timer and is never held across I/O; _finishLock is held by a sweep's sync,
    // checkpoint and clearing, so a stop can wait for them without making keeps wait.
    private readonly Lock _lock = new();
    private readonly Lock _finishLock = new();
    private IDisposable? _timer;
    private bool _stopped;
    private bool _sweeping;
    private long _owedBeforeLastSweep;
    private long _cleared;

    private WriteIntentLog(IWriteIntentSubsystem subsystem, PairStateKeeper keeper)
    {
        _subsystem = subsystem;
        _keeper = keeper;
        _files = [];
        _intents = [];
    }

    /// <summary>Gets the interval between sweeps.</summary>
    public TimeSpan SweepInterval { get; set; } = DefaultSweepInterval;

    /// <summary>Gets the regions the sweeps have cleared so far.</summary>
    public long RegionsCleared => Interlocked.Read(ref _cleared);

    /// <summary>
    /// Reads every LDEV's kept intents (before a restart restores the pairs). A missing or unreadable record gives
    /// null for its LDEV, with a note: every region of it is then suspect.
    /// </summary>
    /// <param name="directory">The state directory.</param>
    /// <param name="ldevs">The LDEVs.</param>
    /// <param name="notes">Receives a line per record not found whole.</param>
    /// <param name="files">The file system (null: the real one).</param>
    /// <returns>The regions by LDEV.</returns>
    public static Dictionary<LdevId, ulong[]?> ReadAll(string directory, IEnumerable<Ldev> ldevs, List<string> notes, IStateFileSystem? files = null)
    {
        ArgumentNullException.ThrowIfNull(ldevs);
        ArgumentNullException.ThrowIfNull(notes);
        Dictionary<LdevId, ulong[]?> found = [];
        foreach (Ldev ldev in ldevs)
        {
            found[ldev.Id] = WriteIntentFile.Read(Path.Combine(directory, WriteIntentFile.FileName(ldev.Id)), WriteIntent.WordsFor(ldev.BlockCount, ldev.Geometry), out string? note, files);
            if (note is not null)
            {
                notes.Add(note + ": every track of its pairs is marked");
            }
        }

        return found;
    }

    /// <summary>
    /// Starts keeping the intents of every LDEV, each from an empty record: call it only once the pair state restored
    /// (with the old intents marked in its bitmaps) is in a checkpoint.
    /// </summary>
    /// <param name="directory">The state directory.</param>
    /// <param name="subsystem">The subsystem the LDEVs are attached to.</param>
    /// <param name="keeper">Writes the sweeps' checkpoints.</param>
    /// <param name="ldevs">The LDEVs.</param>
    /// <param name="files">The file system (null: the real one).</param>
    /// <returns>The log: a sweep is scheduled <see cref="SweepInterval"/> after regions are kept, and again while any are.</returns>
    /// <exception cref="IOException">An intent file cannot be written.</exception>
    public static WriteIntentLog Start(string directory, IWriteIntentSubsystem subsystem, PairStateKeeper keeper, IEnumerable<Ldev> ldevs, IStateFileSystem? files = null)
    {
        ArgumentNullException.ThrowIfNull(subsystem);
        ArgumentNullException.ThrowIfNull(keeper);
        ArgumentNullException.ThrowIfNull(ldevs);
        WriteIntentLog log = new(subsystem, keeper);
        try
        {
            foreach (Ldev ldev in ldevs)
            {
                int words = WriteIntent.WordsFor(ldev.BlockCount, ldev.Geometry);
                WriteIntentFile file = WriteIntentFile.Create(Path.Combine(directory, WriteIntentFile.FileName(ldev.Id)), words, new ulong[words], files);
                log._files.Add(file);
                log._intents.Add(subsystem.KeepWriteIntents(ldev, file, [], log.RegionsKept));
            }
        }
        catch
        {
            log._files.ForEach(file => file.Dispose());
            throw;
        }

        return log;
    }

    /// <summary>
    /// Stops the sweeps (a graceful stop: its own checkpoint follows, and must be the last). Waits for a sweep that is
    /// writing its checkpoint.
    /// </summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _timer?.Dispose();
            _timer = null;
        }

        // A sweep past its check of _stopped finishes before this returns; any later one sees it.
        lock (_finishLock)
        {
        }
    }

    /// <summary>
    /// Runs one sweep now (tests, and the timer). Returns at once; <paramref name="done"/> is told the regions cleared,
    /// or -1 when the sweep did not run (another one is running, the log is stopped, or a volume failed to sync).
    /// </summary>
    /// <param name="done">Called once, off the MPs, when the sweep ends.</param>
    public void Sweep(Action<long>? done = null)
    {
        long owedThrough;
        lock (_lock)
        {
            if (_stopped || _sweeping)
            {
                done?.Invoke(-1);
                return;
            }

            if (!_intents.Exists(intent => intent.AnyDurable))
            {
                // Nothing kept, nothing to clear: no checkpoint either, and no sweep until a keep.
                done?.Invoke(0);
                return;
            }

            _sweeping = true;

            // Marks moved into bitmaps by commands are cleared one sweep late: the copy steps cancelled with them
            // have had a whole interval to land, not only this drain.
            owedThrough = _owedBeforeLastSweep;
            _owedBeforeLastSweep = _keeper.Table?.OwedMarksSoFar() ?? 0;
        }

        foreach (WriteIntent intent in _intents)
        {
            intent.BeginSweep();
        }

        // The drain ends on an MP, which must not wait for syncs: the rest runs as a work item of its own.
        _subsystem.DrainWrites(() => _subsystem.Scheduler.Schedule(new SweepFinish(this, owedThrough, done)));
    }

    /// <summary>The timer's sweep.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        lock (_lock)
        {
            _timer = null;
        }

        Sweep();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        _files.ForEach(file => file.Dispose());
    }

    private void Finish(long owedThrough, Action<long>? done)
    {
        long cleared = -1;
        try
        {
            lock (_finishLock)
            {
                if (Volatile.Read(ref _stopped) || !SyncVolumes())
                {
                    return;
                }

                // Every write admitted before the sweep began is on both its volumes, synced, and marked: a checkpoint
                // now holds its marks, and its regions may be cleared unless a later write entered them.
                if (_keeper.Table is not CopyManagementTable table)
                {
                    // No table kept yet: nothing holds the marks, so nothing may be cleared.
                    return;
                }

                try
                {
                    _keeper.Checkpoint(table, cleanStop: false, owedThrough);
                }
                catch (IOException)
                {
                    // No checkpoint, no clearing: the regions stay kept (a restart marks them), which is safe.
                    return;
                }

                cleared = 0;
                foreach (WriteIntent intent in _intents)
                {
                    cleared += intent.EndSweep();
                }

                Interlocked.Add(ref _cleared, cleared);
            }
        }
        finally
        {
            lock (_lock)
            {
                _sweeping = false;
                Reschedule();
            }

            done?.Invoke(cleared);
        }
    }

    private bool SyncVolumes()
    {
        foreach (WriteIntent intent in _intents)
        {
            if (intent.Ldev.Media.Flush() != MediaStatus.Good)
            {
                // The regions stay kept (a restart marks them): safe, and the write path reports the medium's failure.
                return false;
            }
        }

        return true;
    }

    // After a keep of new regions: a sweep will clear them once they go quiet.
    private void RegionsKept()
    {
        lock (_lock)
        {
            if (!_sweeping)
            {
                ScheduleSweep();
            }
        }
    }

    // Under _lock: while regions are kept (a sweep leaves the ones still being written), sweep again later.
    private void Reschedule()
    {
        if (_intents.Exists(intent => intent.AnyDurable))
        {
            ScheduleSweep();
        }
    }

    // Under _lock.
    private void ScheduleSweep()
    {
        if (!_stopped && _timer is null)
        {
            _timer = _subsystem.Scheduler.ScheduleAfter(SweepInterval, this);
        }
    }

    private sealed class SweepFinish(WriteIntentLog log, long owedThrough, Action<long>? done) : IWorkItem
    {
        public void Execute()
        {
            log.Finish(owedThrough, done);
        }
    }
}
