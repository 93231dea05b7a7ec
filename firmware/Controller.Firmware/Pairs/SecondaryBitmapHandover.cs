// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Hands a row's changed tracks back over the link, taken on its S-VOL's MP behind every write that MP admitted: a
/// resync hands over (and clears) the row's S-side bitmap; a no-copy create reports its origin's, and the owner of a
/// swap resync its old row's (these stay). Runs outside the table's lock, so the reply's words are formatted there.
/// </summary>
internal sealed class SecondaryBitmapHandover(MirrorPair row, DifferentialBitmap[]? sources, Action<RemoteControlReply> reply, IScheduler scheduler) : IMpTask, IWorkItem
{
    private static readonly TimeSpan QueueFullRetry = TimeSpan.FromMilliseconds(1);

    /// <summary>Queues the handover on the S-VOL's MP (retried when its queue is full).</summary>
    public void Queue()
    {
        if (!row.SVol.Owner!.TrySubmitInternal(BlockCommand.ForTask(row.SVol, this)))
        {
            scheduler.ScheduleAfter(QueueFullRetry, this);
        }
    }

    /// <summary>On the MP: takes the bitmap and replies.</summary>
    public void Run()
    {
        DifferentialBitmap changed = sources is null ? row.SVolBitmap.SwapInFresh() : UnionOf(row, sources);
        byte[] bits = new byte[changed.BitsLength];
        changed.WriteBits(bits);
        reply(new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, changed.CountSet().ToString(CultureInfo.InvariantCulture) + " tracks changed here") { State = row.State, Bitmap = bits, BlockCount = row.SVol.BlockCount });
    }

    /// <summary>A retry after a full queue.</summary>
    public void Execute()
    {
        Queue();
    }

    // The union of bitmaps, for a handover.
    private static DifferentialBitmap UnionOf(MirrorPair row, DifferentialBitmap[] sources)
    {
        DifferentialBitmap union = new(row.SVol.BlockCount, row.SVol.Geometry);
        foreach (DifferentialBitmap source in sources)
        {
            union.UnionWith(source);
        }

        return union;
    }
}
