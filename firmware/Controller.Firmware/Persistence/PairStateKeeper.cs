// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Pairs;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Persistence;

/// <summary>
/// Keeps a Copy Management Table in a <see cref="ControllerStateStore"/>: the table's <see cref="IPairStateSink"/>
/// (row changes journaled, committed before answers), checkpoints of the rows and bitmaps, and the restore at start.
/// </summary>
public sealed class PairStateKeeper : IPairStateSink, IDisposable
{
    private readonly ControllerStateStore _store;

    private PairStateKeeper(ControllerStateStore store)
    {
        _store = store;
    }

    /// <summary>Gets the store.</summary>
    public ControllerStateStore Store => _store;

    /// <summary>Opens the state directory.</summary>
    /// <param name="directory">The directory (created if missing).</param>
    /// <returns>The keeper; call <see cref="ControllerStateStore.Load"/> on its store next.</returns>
    public static PairStateKeeper Open(string directory)
    {
        return new PairStateKeeper(ControllerStateStore.Open(directory));
    }

    /// <summary>
    /// Restores every kept row into a table by the restart table, with its bitmaps from the checkpoint.
    /// </summary>
    /// <param name="image">What <see cref="ControllerStateStore.Load"/> found.</param>
    /// <param name="table">The table, empty.</param>
    /// <param name="findLdev">The LDEVs of this controller by ID.</param>
    /// <param name="notes">Receives a line for each kept remote pair, which is not restored yet (docs/durability.md).</param>
    /// <returns>Why rows could not be restored, one line each (empty when all were).</returns>
    public List<string> RestoreInto(ControllerStateImage image, CopyManagementTable table, Func<LdevId, Ldev?> findLdev, List<string> notes)
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

        foreach (PairSnapshot row in image.Pairs.Values)
        {
            if (row.Type == MirrorType.Remote)
            {
                notes.Add("remote pair " + row.PVol + " -> " + row.SVol + " (" + PairStateNames.Of(row.State) + ") was kept but is not restored: restoring remote pairs is not built yet; create it again");
                continue;
            }

            Ldev? pVol = findLdev(row.PVolLdev);
            Ldev? sVol = findLdev(row.SVolLdev);
            if (pVol is null || sVol is null)
            {
                problems.Add("pair " + row.PVol + " -> " + row.SVol + ": LDEV " + (pVol is null ? row.PVolLdev : row.SVolLdev) + " is no longer in the configuration");
                continue;
            }

            List<BitmapRecord> own = leaves.GetValueOrDefault(row.EntryId) ?? [];
            string? problem = null;
            string? refused = table.Restore(row, pVol, sVol, pair =>
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
            }, afterCrash: !image.CleanStop);
            if ((problem ?? refused) is string why)
            {
                problems.Add(why);
            }
        }

        return problems;
    }

    /// <summary>Writes a checkpoint of the table: every row and every marked bitmap leaf, and starts a new journal.</summary>
    /// <param name="table">The table.</param>
    /// <param name="cleanStop">True only from a graceful stop, after every command was answered and every write landed.</param>
    public void Checkpoint(CopyManagementTable table, bool cleanStop)
    {
        ArgumentNullException.ThrowIfNull(table);
        List<PairSnapshot> rows = table.SnapshotRows();
        List<BitmapRecord> bitmaps = [];
        foreach (MirrorPair pair in table.GetPairs())
        {
            BitmapRecord.FromBitmap(pair.PVolBitmap, pair.EntryId, PairRole.PVol, bitmaps.Add);
            BitmapRecord.FromBitmap(pair.SVolBitmap, pair.EntryId, PairRole.SVol, bitmaps.Add);
        }

        _store.Checkpoint(rows, bitmaps, cleanStop);
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

    /// <inheritdoc/>
    public void Commit()
    {
        _store.Commit();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _store.Dispose();
    }
}
