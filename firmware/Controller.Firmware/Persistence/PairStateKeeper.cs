// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Persistence;

/// <summary>
/// Keeps a Copy Management Table in a <see cref="ControllerStateStore"/>: the table's <see cref="IPairStateSink"/>
/// (row changes journaled, committed before answers), checkpoints of the rows and bitmaps, and the restore at start.
/// </summary>
public sealed class PairStateKeeper : IPairStateSink, IDisposable
{
    /// <summary>The journal records after which a commit starts a checkpoint (so the journal, and the next start's reading, stay short).</summary>
    public const int DefaultCheckpointAfterRecords = 10_000;

    private readonly ControllerStateStore _store;
    private CopyManagementTable? _table;
    private int _checkpointing;

    private PairStateKeeper(ControllerStateStore store)
    {
        _store = store;
    }

    /// <summary>Gets or sets the journal records after which a commit starts a checkpoint of the table the keeper serves.</summary>
    public int CheckpointAfterRecords { get; set; } = DefaultCheckpointAfterRecords;

    /// <summary>Gets the store.</summary>
    public ControllerStateStore Store => _store;

    /// <summary>Gets the write-intent log, once <see cref="KeepWriteIntents"/> started it.</summary>
    public WriteIntentLog? Intents { get; private set; }

    /// <summary>
    /// Starts the write-intent log of the given LDEVs and its sweeps (docs/durability.md): call it after the restored
    /// state's first checkpoint, since it starts every LDEV from an empty record.
    /// </summary>
    /// <param name="subsystem">The subsystem.</param>
    /// <param name="ldevs">Its LDEVs on the file store.</param>
    /// <param name="sweepInterval">The time between sweeps; null for <see cref="WriteIntentLog.DefaultSweepInterval"/>.</param>
    /// <returns>The log.</returns>
    public WriteIntentLog KeepWriteIntents(IWriteIntentSubsystem subsystem, IEnumerable<Ldev> ldevs, TimeSpan? sweepInterval = null)
    {
        WriteIntentLog log = WriteIntentLog.Start(_store.Directory, subsystem, this, ldevs, _store.Files);
        log.SweepInterval = sweepInterval ?? WriteIntentLog.DefaultSweepInterval;
        Intents = log;
        return log;
    }

    /// <summary>Gets the table the keeper serves, once <see cref="Serve"/> was called.</summary>
    public CopyManagementTable? Table => Volatile.Read(ref _table);

    /// <summary>Opens the state directory.</summary>
    /// <param name="directory">The directory (created if missing).</param>
    /// <returns>The keeper; call <see cref="ControllerStateStore.Load"/> on its store next.</returns>
    public static PairStateKeeper Open(string directory)
    {
        return new PairStateKeeper(ControllerStateStore.Open(directory));
    }

    /// <summary>Opens the state directory on a given file system (a power-cut model in tests).</summary>
    /// <param name="directory">The directory (created if missing).</param>
    /// <param name="files">The file system.</param>
    /// <returns>The keeper; call <see cref="ControllerStateStore.Load"/> on its store next.</returns>
    public static PairStateKeeper Open(string directory, IStateFileSystem files)
    {
        return new PairStateKeeper(ControllerStateStore.Open(directory, files));
    }

    /// <summary>
    /// Restores every kept row into a table by the restart table, with its bitmaps from the checkpoint. A remote row
    /// needs its link peer: at its primary a remote-copy path of the table that reaches its S-VOL's port (added
    /// before), at its secondary its primary's initiator configured as a remote-copy peer.
    /// </summary>
    /// <param name="image">What <see cref="ControllerStateStore.Load"/> found.</param>
    /// <param name="table">The table, empty (its remote-copy paths added).</param>
    /// <param name="findLdev">The LDEVs of this controller by ID.</param>
    /// <param name="notes">Receives a line for each restored remote pair (its side and state, for the log).</param>
    /// <param name="intents">The write-intent regions kept for each LDEV (<see cref="WriteIntentLog.ReadAll"/>; null
    /// for an LDEV whose record is missing), or null when none are known: after a crash every track is then marked.</param>
    /// <param name="isRemoteCopyPeer">Whether a primary's initiator port ID is a configured remote-copy peer; null: none is.</param>
    /// <returns>Why rows could not be restored, one line each (empty when all were).</returns>
    public List<string> RestoreInto(ControllerStateImage image, CopyManagementTable table, Func<LdevId, Ldev?> findLdev, List<string> notes, IReadOnlyDictionary<LdevId, ulong[]?>? intents = null, Func<int, bool>? isRemoteCopyPeer = null)
    {
        ArgumentNullException.ThrowIfNull(notes);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(findLdev);
        List<string> problems = [];
        Dictionary<int, List<BitmapRecord>> leaves = [];
        foreach (BitmapRecord leaf in image.Bitmaps)
        {
            (leaves.TryGetValue(leaf.EntryId, out List<BitmapRecord>? list) ? list : leaves[leaf.EntryId] = []).Add(leaf);
        }

        Dictionary<LdevId, ulong[]?> inFlight = InFlightByVolume(image, intents);
        foreach (PairSnapshot row in image.Pairs.Values)
        {
            List<BitmapRecord> own = leaves.GetValueOrDefault(row.EntryId) ?? [];
            string? problem = null;
            void LoadBitmaps(MirrorPair pair)
            {
                foreach (BitmapRecord leaf in own)
                {
                    DifferentialBitmap target = leaf.Side == PairRole.PVol ? pair.PVolBitmap : pair.SVolBitmap;
                    if (target.TrackCount != leaf.TrackCount)
                    {
                        problem = "pair " + row.PVol + " -> " + row.SVol + ": its bitmap has " + leaf.TrackCount + " tracks, the LDEV now " + target.TrackCount + " (resized since the pair was made)";
                        return;
                    }

                    leaf.ApplyTo(target);
                }
            }

            string? refused;
            if (row.Type == MirrorType.Remote)
            {
                refused = RestoreRemoteRow(row, table, findLdev, isRemoteCopyPeer, LoadBitmaps, afterCrash: !image.CleanStop);
                if (refused is null && problem is null && table.Find(row.PVol, row.SVol) is MirrorPair back)
                {
                    notes.Add("remote pair " + row.PVol + " -> " + row.SVol + " restored at its " + (back.IsSecondary ? "secondary (S-VOL here, following primary " + new PortId((uint)row.Peer) + ")" : "primary (P-VOL here, link " + back.Path!.Name + ")") + ": " + PairStateNames.Of(back.State) + (back.State != row.State ? " (kept " + PairStateNames.Of(row.State) + ")" : string.Empty) + (back.State is PairState.Copy or PairState.CopyResync && !back.IsSecondary ? ", copying every track again once the link is up" : string.Empty));
                }
            }
            else
            {
                Ldev? pVol = findLdev(row.PVolLdev);
                Ldev? sVol = findLdev(row.SVolLdev);
                if (pVol is null || sVol is null)
                {
                    problems.Add("pair " + row.PVol + " -> " + row.SVol + ": LDEV " + (pVol is null ? row.PVolLdev : row.SVolLdev) + " is no longer in the configuration");
                    continue;
                }

                refused = table.Restore(row, pVol, sVol, LoadBitmaps, afterCrash: !image.CleanStop, inFlight.GetValueOrDefault(row.PVolLdev));
            }

            if ((problem ?? refused) is string why)
            {
                problems.Add(why);
            }
        }

        return problems;
    }

    // A write half done at the crash went down a chain of pairs (P-VOL, its S-VOL, that one's S-VOL...), and only the
    // volume it entered kept the intent; the volumes are the same size and a region is the same blocks on each. So
    // each group of volumes joined by local pairs shares the union of its members' regions, and a member whose record
    // is missing makes the whole group unknown (null: every track).
    private static Dictionary<LdevId, ulong[]?> InFlightByVolume(ControllerStateImage image, IReadOnlyDictionary<LdevId, ulong[]?>? intents)
    {
        Dictionary<LdevId, LdevId> parent = [];
        LdevId Root(LdevId id)
        {
            while (parent.TryGetValue(id, out LdevId up) && up != id)
            {
                id = up;
            }

            return id;
        }

        foreach (PairSnapshot row in image.Pairs.Values)
        {
            if (row.Type == MirrorType.Local)
            {
                parent.TryAdd(row.PVolLdev, row.PVolLdev);
                parent.TryAdd(row.SVolLdev, row.SVolLdev);
                LdevId a = Root(row.PVolLdev);
                LdevId b = Root(row.SVolLdev);
                if (a != b)
                {
                    parent[a] = b;
                }
            }
        }

        Dictionary<LdevId, ulong[]?> byRoot = [];
        Dictionary<LdevId, bool> unknown = [];
        foreach (LdevId member in parent.Keys)
        {
            LdevId root = Root(member);
            ulong[]? regions = intents?.GetValueOrDefault(member);
            if (regions is null)
            {
                unknown[root] = true;
                continue;
            }

            ulong[] union = byRoot.GetValueOrDefault(root) ?? new ulong[regions.Length];
            for (int w = 0; w < Math.Min(union.Length, regions.Length); w++)
            {
                union[w] |= regions[w];
            }

            byRoot[root] = union;
        }

        Dictionary<LdevId, ulong[]?> byVolume = [];
        foreach (LdevId member in parent.Keys)
        {
            LdevId root = Root(member);
            byVolume[member] = unknown.ContainsKey(root) ? null : byRoot.GetValueOrDefault(root);
        }

        return byVolume;
    }

    // A remote row needs its own volume's LDEV and, at the secondary, its primary configured as a peer (the table
    // checks the primary's path). Never dropped: a row that cannot be restored stops the start.
    private static string? RestoreRemoteRow(PairSnapshot row, CopyManagementTable table, Func<LdevId, Ldev?> findLdev, Func<int, bool>? isRemoteCopyPeer, Action<MirrorPair> loadBitmaps, bool afterCrash)
    {
        bool secondary = row.Role == PairRole.SVol;
        LdevId id = secondary ? row.SVolLdev : row.PVolLdev;
        string named = "remote pair " + row.PVol + " -> " + row.SVol + " (" + (secondary ? "S-VOL" : "P-VOL") + " here, " + PairStateNames.Of(row.State) + ")";
        if (findLdev(id) is not Ldev local)
        {
            return named + ": LDEV " + id + " is no longer in the configuration";
        }

        if (secondary && isRemoteCopyPeer?.Invoke(row.Peer) != true)
        {
            PortId peer = new((uint)row.Peer);
            return named + ": its primary's initiator " + peer + " is not a remote-copy peer of this subsystem (a 'remote-copy-peer " + peer + "' line); its updates and pair control would be refused";
        }

        return table.RestoreRemote(row, local, loadBitmaps, afterCrash);
    }

    /// <summary>Writes a checkpoint of the table: every row and every marked bitmap leaf, and starts a new journal.</summary>
    /// <param name="table">The table.</param>
    /// <param name="cleanStop">True only from a graceful stop, after every command was answered and every write landed.</param>
    /// <param name="owedThrough">From a write-intent sweep: the owed-marks stamp read before its drain (see
    /// <see cref="CopyManagementTable.Checkpoint"/>); 0 otherwise.</param>
    public void Checkpoint(CopyManagementTable table, bool cleanStop, long owedThrough = 0)
    {
        ArgumentNullException.ThrowIfNull(table);

        // Under the table's lock (docs/durability.md): a change journaled after the snapshot would be lost with the
        // journal the checkpoint replaces. Lock order: table, then the store's commit lock, then its append lock.
        table.Checkpoint((rows, pairs) =>
        {
            List<BitmapRecord> bitmaps = [];
            foreach (MirrorPair pair in pairs)
            {
                BitmapRecord.FromBitmap(pair.PVolBitmap, pair.EntryId, PairRole.PVol, bitmaps.Add);
                BitmapRecord.FromBitmap(pair.SVolBitmap, pair.EntryId, PairRole.SVol, bitmaps.Add);
            }

            _store.Checkpoint(rows, bitmaps, cleanStop);
        }, owedThrough);
    }

    /// <inheritdoc/>
    public void RowChanged(PairSnapshot row)
    {
        _store.Append(row);
    }

    /// <inheritdoc/>
    public void RowDeleted(int entryId)
    {
        _store.AppendDeleted(entryId);
    }

    /// <summary>
    /// The last step of a start (docs/durability.md, ordering item 4), after the table was restored or built: a
    /// checkpoint of it, not "graceful", so that a crash from here on is never taken for a graceful stop, and then
    /// <see cref="Serve"/>. controllerd and the embedded power-cut run both start this way.
    /// </summary>
    /// <param name="table">The table, restored or built.</param>
    public void StartKeeping(CopyManagementTable table)
    {
        Checkpoint(table, cleanStop: false);
        Serve(table);
    }

    /// <summary>Makes the keeper the table's <see cref="CopyManagementTable.StateSink"/>; checkpoints then come on their own.</summary>
    /// <param name="table">The table, restored or built.</param>
    public void Serve(CopyManagementTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        table.StateSink = this;
    }

    /// <inheritdoc/>
    public void Commit()
    {
        _store.Commit();
        if (_table is CopyManagementTable table && _store.JournalLength >= CheckpointAfterRecords && Interlocked.CompareExchange(ref _checkpointing, 1, 0) == 0)
        {
            // A checkpoint replaces the journal; the commit's caller (an answer waiting) does not wait for it.
            ThreadPool.UnsafeQueueUserWorkItem(
                static keeper =>
                {
                    try
                    {
                        keeper.Checkpoint(keeper._table!, cleanStop: false);
                    }
                    finally
                    {
                        Volatile.Write(ref keeper._checkpointing, 0);
                    }
                },
                this,
                preferLocal: false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Intents?.Dispose();
        _store.Dispose();
    }
}
