// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using Controller.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Pairs;

namespace Controller.Firmware.Persistence;

/// <summary>
/// One leaf (65,536 tracks) of a pair's differential bitmap as the state files keep it: the pair's entry ID, the side,
/// the bitmap's track count (a restart refuses a record for a volume of another size), the leaf's index and its marked
/// words, as index-word pairs when few are non-zero, else all of them. Leaves with no marked track are not written.
/// </summary>
/// <param name="EntryId">The pair's entry ID.</param>
/// <param name="Side">The bitmap's side: P-VOL (P-side changes) or S-VOL (S-side changes).</param>
/// <param name="TrackCount">The bitmap's track count.</param>
/// <param name="LeafIndex">The leaf.</param>
/// <param name="Words">The leaf's words.</param>
public sealed record BitmapRecord(int EntryId, PairRole Side, long TrackCount, long LeafIndex, ulong[] Words)
{
    /// <summary>The words of one leaf.</summary>
    public const int LeafWords = DifferentialBitmap.LeafWords;

    private const byte Layout = 1;
    private const byte SparseWords = 0;
    private const byte DenseWords = 1;

    // Index (2 bytes) + word (8) per non-zero word against 8 bytes per word: sparse pays below 4/5 of the words.
    private const int SparseLimit = LeafWords * 8 / 10;

    /// <summary>Writes every leaf of a bitmap that has a marked track.</summary>
    /// <param name="bitmap">The bitmap (writers may keep setting bits; a bit set meanwhile may or may not be kept).</param>
    /// <param name="entryId">The pair's entry ID.</param>
    /// <param name="side">The side.</param>
    /// <param name="write">Receives each record.</param>
    public static void FromBitmap(DifferentialBitmap bitmap, int entryId, PairRole side, Action<BitmapRecord> write)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        ArgumentNullException.ThrowIfNull(write);
        ulong[] words = new ulong[LeafWords];
        long leaf = bitmap.CopyNextLeaf(0, words);
        while (leaf >= 0)
        {
            write(new BitmapRecord(entryId, side, bitmap.TrackCount, leaf, words));
            words = new ulong[LeafWords];
            leaf = bitmap.CopyNextLeaf(leaf + 1, words);
        }
    }

    /// <summary>Marks this leaf's tracks in a bitmap (a union).</summary>
    /// <param name="bitmap">A bitmap of <see cref="TrackCount"/> tracks.</param>
    public void ApplyTo(DifferentialBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (bitmap.TrackCount != TrackCount)
        {
            ThrowHelper.ThrowArgument(nameof(bitmap), "a bitmap leaf of a volume of " + TrackCount + " tracks cannot go into one of " + bitmap.TrackCount);
        }

        bitmap.OrLeaf(LeafIndex, Words);
    }

    /// <summary>Appends the record's payload.</summary>
    /// <param name="writer">Where it goes.</param>
    public void Encode(ArrayBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        StateWriter.U8(writer, Layout);
        StateWriter.U32(writer, (uint)EntryId);
        StateWriter.U8(writer, (byte)Side);
        StateWriter.I64(writer, TrackCount);
        StateWriter.I64(writer, LeafIndex);
        int nonZero = 0;
        foreach (ulong word in Words)
        {
            nonZero += word != 0 ? 1 : 0;
        }

        StateWriter.U8(writer, nonZero <= SparseLimit ? SparseWords : DenseWords);
        if (nonZero <= SparseLimit)
        {
            StateWriter.U16(writer, (ushort)nonZero);
            for (int i = 0; i < Words.Length; i++)
            {
                if (Words[i] != 0)
                {
                    StateWriter.U16(writer, (ushort)i);
                    StateWriter.I64(writer, (long)Words[i]);
                }
            }

            return;
        }

        foreach (ulong word in Words)
        {
            StateWriter.I64(writer, (long)word);
        }
    }

    /// <summary>Reads a record's payload and checks it against its own shape.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="record">The record, when it could be read.</param>
    /// <returns>Null when read; else what is wrong with it.</returns>
    public static string? TryDecode(ReadOnlySpan<byte> payload, out BitmapRecord? record)
    {
        record = null;
        StateReader reader = new(payload);
        byte layout = reader.U8();
        if (layout != Layout)
        {
            return "a bitmap leaf of layout " + layout + " (this build reads " + Layout + ")";
        }

        int entryId = (int)reader.U32();
        byte side = reader.U8();
        long trackCount = reader.I64();
        long leafIndex = reader.I64();
        byte form = reader.U8();
        ulong[] words = new ulong[LeafWords];
        if (form == SparseWords)
        {
            int count = reader.U16();
            for (int i = 0; i < count && !reader.Short; i++)
            {
                int index = reader.U16();
                ulong word = (ulong)reader.I64();
                if (index >= LeafWords)
                {
                    return "bitmap leaf " + leafIndex + " of pair " + entryId + " names word " + index;
                }

                words[index] = word;
            }
        }
        else if (form == DenseWords)
        {
            for (int i = 0; i < LeafWords; i++)
            {
                words[i] = (ulong)reader.I64();
            }
        }
        else
        {
            return "bitmap leaf " + leafIndex + " of pair " + entryId + " in form " + form;
        }

        if (reader.Short || reader.Remaining != 0)
        {
            return "a bitmap leaf of " + payload.Length + " bytes, not the layout's size";
        }

        long leaves = (trackCount + (LeafWords * 64L) - 1) / (LeafWords * 64L);
        if (side > (byte)PairRole.SVol || trackCount <= 0 || leafIndex < 0 || leafIndex >= leaves || MarksBeyond(words, trackCount - (leafIndex * LeafWords * 64L)))
        {
            return "bitmap leaf " + leafIndex + " of pair " + entryId + " does not fit a volume of " + trackCount + " tracks";
        }

        record = new BitmapRecord(entryId, (PairRole)side, trackCount, leafIndex, words);
        return null;
    }

    // Whether a leaf marks a track at or past the end of the volume (tracksInLeaf from the leaf's first track).
    private static bool MarksBeyond(ulong[] words, long tracksInLeaf)
    {
        if (tracksInLeaf >= LeafWords * 64L)
        {
            return false;
        }

        int lastWord = (int)(tracksInLeaf >> 6);
        int bitsInLast = (int)(tracksInLeaf & 63);
        if (bitsInLast != 0 && (words[lastWord] >> bitsInLast) != 0)
        {
            return true;
        }

        for (int i = lastWord + (bitsInLast != 0 ? 1 : 0); i < words.Length; i++)
        {
            if (words[i] != 0)
            {
                return true;
            }
        }

        return false;
    }
}
