// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using Controller.Firmware.Media;
using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Volumes;

/// <summary>
/// The write-intent log of one LDEV (docs/durability.md, "The write-intent log"): before a host write touches a region (<see cref="RegionTracks"/> tracks) whose intent is not on stable storage, the region's
/// bit is kept (<see cref="IWriteIntentMedium"/>) and only then is the write run. A crash can therefore leave P-VOL
/// and S-VOL different, or a pair bitmap short of a mark, only inside kept regions, and a restart marks just those.
/// Bits are cleared lazily by a sweep, for regions no write touched since a checkpoint of the bitmaps that followed a
/// drain of every write in flight.
/// </summary>
/// <remarks>
/// The MP's side is lock-free: a write sets its regions' "touched" bits and reads their "durable" bits; all durable
/// (the common case: a working set written before) and it runs. Otherwise it is parked, before it takes a sequence
/// number (as a freeze's hold parks), the regions are kept by one sync shared by every write parked meanwhile (a
/// group commit, off the MP), and the writes run again on the MP. The sweep and the writes meet as in Dekker's
/// algorithm: a write sets "touched" and then reads "durable" (a full fence between), the sweep clears "durable" and
/// then reads "touched" (a full fence between), so either the write sees the bit gone and parks, or the sweep sees
/// the write and puts the bit back. A failed keep is sticky, as a failed fdatasync is (<see cref="GroupCommit"/>).
/// </remarks>
public sealed class WriteIntent : IWorkItem
{
    /// <summary>
    /// Tracks per region: 1,024 (64 MiB of 64 KiB tracks), the chunk md's write-intent bitmaps use for large arrays.
    /// Larger regions mean fewer keeps for a random working set and more to copy after a crash.
    /// </summary>
    public const int RegionTracks = 1024;

    private readonly Ldev _ldev;
    private readonly IWriteIntentMedium _medium;
    private readonly IParkedWriteHandler _handler;
    private readonly IScheduler _scheduler;
    private readonly long _blocksPerRegion;
    private readonly int _regionShift;

    // Regions whose bit is on stable storage: a write there needs no keep. Raised by the keep, lowered by the sweep.
    private readonly ulong[] _durable;

    // Regions a write entered since the sweep last reset them.
    private readonly ulong[] _touched;

    // Under _lock: the record the next keep writes (durable bits plus those asked for by parked writes), and the
    // writes waiting for it.
    private readonly Lock _lock = new();
    private readonly ulong[] _wanted;
    private List<BlockCommand> _parked = [];
    private bool _keepQueued;

    // Serializes writes of the medium (keeps and sweeps), so the record on stable storage only ever grows between
    // sweeps and "durable" never holds a bit the medium lacks.
    private readonly Lock _mediumLock = new();
    private int _failed;
    private long _keeps;
    private readonly Action? _regionsKept;

    internal WriteIntent(Ldev ldev, IWriteIntentMedium medium, IParkedWriteHandler handler, IScheduler scheduler, ReadOnlySpan<ulong> kept, Action? regionsKept)
    {
        _regionsKept = regionsKept;
        _ldev = ldev;
        _medium = medium;
        _handler = handler;
        _scheduler = scheduler;
        _blocksPerRegion = (long)ldev.Geometry.BlocksPerTrack * RegionTracks;
        _regionShift = BitOperations.IsPow2(_blocksPerRegion) ? BitOperations.Log2((ulong)_blocksPerRegion) : -1;
        int words = WordsFor(ldev.BlockCount, ldev.Geometry);
        _durable = new ulong[words];
        _touched = new ulong[words];
        _wanted = new ulong[words];
        for (int w = 0; w < Math.Min(words, kept.Length); w++)
        {
            _durable[w] = kept[w];
            _wanted[w] = kept[w];
        }
    }

    /// <summary>Gets the LDEV.</summary>
    public Ldev Ldev => _ldev;

    /// <summary>Gets the number of keeps (syncs of the medium) so far: far fewer than writes when grouping works.</summary>
    public long KeepCount => Volatile.Read(ref _keeps);

    /// <summary>Gets the number of 64-bit words of an LDEV's region bitmap.</summary>
    /// <param name="blockCount">The LDEV's capacity in blocks.</param>
    /// <param name="geometry">Its track geometry.</param>
    /// <returns>The words.</returns>
    public static int WordsFor(long blockCount, TrackGeometry geometry)
    {
        long regions = (geometry.TrackCount(blockCount) + RegionTracks - 1) / RegionTracks;
        return checked((int)((regions + 63) / 64));
    }

    /// <summary>Copies the regions kept on stable storage now.</summary>
    /// <returns>One bit per region.</returns>
    public ulong[] DurableRegions()
    {
        ulong[] copy = new ulong[_durable.Length];
        for (int w = 0; w < copy.Length; w++)
        {
            copy[w] = Volatile.Read(ref _durable[w]);
        }

        return copy;
    }

    /// <summary>Gets whether any region is kept (a sweep has something to clear).</summary>
    public bool AnyDurable
    {
        get
        {
            for (int w = 0; w < _durable.Length; w++)
            {
                if (Volatile.Read(ref _durable[w]) != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The sweep's first step: forgets which regions were touched. The caller then drains every write in flight
    /// (a write that read "touched" before this is still running on its MP, and the drain waits for it), makes the
    /// volumes' data and the pair bitmaps durable (a checkpoint), and calls <see cref="EndSweep"/>.
    /// </summary>
    public void BeginSweep()
    {
        for (int w = 0; w < _touched.Length; w++)
        {
            Interlocked.Exchange(ref _touched[w], 0);
        }
    }

    /// <summary>
    /// The sweep's last step: clears the kept regions no write entered since <see cref="BeginSweep"/> and writes the
    /// smaller record. Every write before the sweep's start is in the checkpoint the caller made; every write after
    /// it either marked its region touched (kept) or finds the bit gone and keeps it again.
    /// </summary>
    /// <returns>The regions cleared.</returns>
    public long EndSweep()
    {
        lock (_mediumLock)
        {
            long cleared = 0;
            ulong[] clear = new ulong[_durable.Length];
            for (int w = 0; w < _durable.Length; w++)
            {
                ulong idle = Volatile.Read(ref _durable[w]) & ~Volatile.Read(ref _touched[w]);
                if (idle == 0)
                {
                    continue;
                }

                // Clear, then look again (Interlocked is a full fence): a write that set "touched" before our clear
                // and read "durable" before it went on without a keep, so its regions stay.
                Interlocked.And(ref _durable[w], ~idle);
                ulong raced = Volatile.Read(ref _touched[w]) & idle;
                if (raced != 0)
                {
                    Interlocked.Or(ref _durable[w], raced);
                }

                clear[w] = idle & ~raced;
                cleared += BitOperations.PopCount(clear[w]);
            }

            if (cleared == 0)
            {
                return 0;
            }

            ulong[] record;
            lock (_lock)
            {
                for (int w = 0; w < _wanted.Length; w++)
                {
                    _wanted[w] &= ~clear[w];
                }

                record = (ulong[])_wanted.Clone();
            }

            // A record that still holds the cleared bits is safe (more regions marked at a restart), so a failure
            // here costs precision, not data: it is not sticky.
            _medium.Keep(record);
            return cleared;
        }
    }

    /// <summary>On the MP: tells whether every region a write touches is kept, marking them touched.</summary>
    internal bool Covers(long lba, long blocks)
    {
        long first = RegionOf(lba);
        long last = RegionOf(lba + blocks - 1);
        bool covered = true;
        for (long region = first; region <= last; region++)
        {
            int w = (int)(region >> 6);
            ulong bit = 1UL << (int)(region & 63);
            if ((Volatile.Read(ref _touched[w]) & bit) == 0)
            {
                Interlocked.Or(ref _touched[w], bit);
            }

            covered &= (Volatile.Read(ref _durable[w]) & bit) != 0;
        }

        return covered;
    }

    /// <summary>On the MP: parks a write whose regions are not all kept, and asks for a keep.</summary>
    internal void Park(in BlockCommand command)
    {
        if (Volatile.Read(ref _failed) != 0)
        {
            _handler.AnswerParked(command, MediaStatus.MediumError);
            return;
        }

        long first = RegionOf(command.Lba);
        long last = RegionOf(command.Lba + (command.Buffer.Count / TrackGeometry.BlockSize) - 1);
        bool queue;
        lock (_lock)
        {
            for (long region = first; region <= last; region++)
            {
                _wanted[(int)(region >> 6)] |= 1UL << (int)(region & 63);
            }

            _parked.Add(command);
            queue = !_keepQueued;
            _keepQueued = true;
        }

        if (queue)
        {
            _scheduler.Schedule(this);
        }
    }

    /// <summary>The keep, off the MP: writes the record, raises "durable", and runs the parked writes again on the MP.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        List<BlockCommand> parked;
        bool kept;
        lock (_mediumLock)
        {
            ulong[] record;
            lock (_lock)
            {
                // Writes parked from here on queue the next keep.
                record = (ulong[])_wanted.Clone();
                parked = _parked;
                _parked = [];
                _keepQueued = false;
            }

            Interlocked.Increment(ref _keeps);
            kept = Volatile.Read(ref _failed) == 0 && _medium.Keep(record);
            if (kept)
            {
                for (int w = 0; w < record.Length; w++)
                {
                    Interlocked.Or(ref _durable[w], record[w]);
                }
            }
            else
            {
                Volatile.Write(ref _failed, 1);
            }
        }

        if (kept)
        {
            // Someone must sweep them away later.
            _regionsKept?.Invoke();
        }

        if (parked.Count > 0)
        {
            // Never full: the writes were admitted once and must not meet TASK SET FULL now.
            _ldev.Owner!.SubmitUrgent(BlockCommand.ForTask(_ldev, new Rerun(_handler, parked, kept)));
        }
    }

    private long RegionOf(long lba)
    {
        return _regionShift >= 0 ? lba >> _regionShift : lba / _blocksPerRegion;
    }

    // Runs parked writes again on their MP, in the order they were parked (or fails them when the keep failed).
    private sealed class Rerun(IParkedWriteHandler handler, List<BlockCommand> writes, bool kept) : IMpTask
    {
        public void Run()
        {
            foreach (BlockCommand write in writes)
            {
                if (kept)
                {
                    handler.Execute(write);
                }
                else
                {
                    handler.AnswerParked(write, MediaStatus.MediumError);
                }
            }
        }
    }
}
