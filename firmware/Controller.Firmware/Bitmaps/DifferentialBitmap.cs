// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using Controller.Addressing;
using Controller.Firmware.Collections;
using Controller.Firmware.Media;

namespace Controller.Firmware.Bitmaps;

/// <summary>
/// One bit per track of a volume: set when a write touched the track since the bitmap was last reset.
/// The copy engine copies exactly the set tracks (resync copies the union of the P-side and S-side
/// bitmaps). Setting is lock-free from any number of threads.
/// </summary>
/// <remarks>
/// Bits live in 8 KiB leaves (65,536 tracks, 4 GiB at 64 KiB tracks) allocated on the first set, so the
/// memory is at most 2 MiB per TiB at 64 KiB tracks and only what was touched for a sparse volume.
/// <see cref="SwapInFresh"/> exchanges the whole plane for an empty one by one pointer swap: a split never
/// copies a bitmap (docs/architecture.md decision 3).
/// </remarks>
public sealed class DifferentialBitmap
{
    /// <summary>log2 of the tracks in one leaf of bits.</summary>
    internal const int LeafTrackBits = 16;

    /// <summary>The 64-bit words in one leaf (8 KiB).</summary>
    internal const int LeafWords = (1 << LeafTrackBits) / 64;

    private const long LeafWordMask = LeafWords - 1;

    private readonly TrackGeometry _geometry;

    // The words of each leaf: LeafWords, or fewer when the whole volume fits in one leaf (a 64 MiB volume has 1,024
    // tracks: 16 words, not 1,024). Every split and resync swaps in fresh planes whose first mark allocates a leaf,
    // so full-size leaves on small volumes were most of what a split-and-resync cycle allocated (and collected).
    private readonly int _leafWords;

    // The current plane. Replaced whole by SwapInFresh; a setter reads it once per call, so a set that
    // races a swap lands in exactly one of the two planes (which one is the caller's protocol to decide,
    // by the write sequence of the split).
    private SparseArray<ulong[]> _plane;

    /// <summary>Initializes an empty bitmap for a volume.</summary>
    /// <param name="blockCount">The volume's capacity in blocks.</param>
    /// <param name="geometry">The controller's track geometry.</param>
    public DifferentialBitmap(long blockCount, TrackGeometry geometry)
    {
        BlockRange.ValidateCapacity(blockCount);
        _geometry = geometry;
        BlockCount = blockCount;
        TrackCount = geometry.TrackCount(blockCount);
        _leafWords = (int)Math.Min(LeafWords, (TrackCount + 63) >> 6);
        _plane = NewPlane(TrackCount);
    }

    private DifferentialBitmap(DifferentialBitmap shape, SparseArray<ulong[]> plane)
    {
        _geometry = shape._geometry;
        BlockCount = shape.BlockCount;
        TrackCount = shape.TrackCount;
        _leafWords = shape._leafWords;
        _plane = plane;
    }

    /// <summary>Gets the capacity of the volume in blocks.</summary>
    public long BlockCount { get; }

    /// <summary>Gets the number of tracks, hence of bits.</summary>
    public long TrackCount { get; }

    /// <summary>Gets the geometry that maps blocks to tracks.</summary>
    public TrackGeometry Geometry => _geometry;

    /// <summary>Gets the bytes of bit storage allocated so far.</summary>
    public long AllocatedBytes => Volatile.Read(ref _plane).PopulatedCount * _leafWords * sizeof(ulong);

    /// <summary>Marks one track.</summary>
    /// <param name="track">The track, in 0..TrackCount-1.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Set(long track)
    {
        if ((ulong)track >= (ulong)TrackCount)
        {
            ThrowTrackOutOfRange(track, TrackCount);
        }

        ref ulong word = ref WordFor(track);
        ulong mask = 1UL << (int)(track & 63);

        // Re-marking a marked track is the common case under sustained writes: a plain read avoids a
        // locked instruction and keeps the cache line shared between writers.
        if ((Volatile.Read(ref word) & mask) == 0)
        {
            Interlocked.Or(ref word, mask);
        }
    }

    /// <summary>Marks every track from <paramref name="firstTrack"/> to <paramref name="lastTrack"/> inclusive.</summary>
    /// <param name="firstTrack">The first track.</param>
    /// <param name="lastTrack">The last track, not below the first.</param>
    public void SetRange(long firstTrack, long lastTrack)
    {
        if ((ulong)firstTrack >= (ulong)TrackCount || (ulong)lastTrack >= (ulong)TrackCount || lastTrack < firstTrack)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(firstTrack),
                "track range " + firstTrack + ".." + lastTrack + " is not inside 0.." + (TrackCount - 1));
        }

        if (firstTrack == lastTrack)
        {
            Set(firstTrack);
            return;
        }

        long track = firstTrack;
        while (track <= lastTrack)
        {
            // One word at a time: the bits of this word from 'track' to min(lastTrack, end of word).
            int bit = (int)(track & 63);
            long wordEnd = track - bit + 63;
            int lastBit = lastTrack < wordEnd ? (int)(lastTrack & 63) : 63;
            int width = lastBit - bit + 1;
            ulong mask = (width == 64 ? ulong.MaxValue : ((1UL << width) - 1)) << bit;
            ref ulong word = ref WordFor(track);
            if ((Volatile.Read(ref word) & mask) != mask)
            {
                Interlocked.Or(ref word, mask);
            }

            track = wordEnd + 1;
        }
    }

    /// <summary>Marks the tracks a write of whole blocks touches.</summary>
    /// <param name="lba">The first block written.</param>
    /// <param name="blockCount">The number of blocks written (positive).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MarkWrite(long lba, long blockCount)
    {
        long first = _geometry.TrackOfBlock(lba);
        long last = _geometry.TrackOfBlock(lba + blockCount - 1);
        if (first == last)
        {
            Set(first);
        }
        else
        {
            SetRange(first, last);
        }
    }

    /// <summary>
    /// Tells whether every track a write of whole blocks touches is marked: the copy engine's "this write needs no
    /// mirroring, the copy will carry it".
    /// </summary>
    /// <param name="lba">The first block written.</param>
    /// <param name="blockCount">The number of blocks written (positive).</param>
    /// <returns>True if all of the write's tracks are marked.</returns>
    public bool CoversWrite(long lba, long blockCount)
    {
        long last = _geometry.TrackOfBlock(lba + blockCount - 1);
        for (long track = _geometry.TrackOfBlock(lba); track <= last; track++)
        {
            if (!IsSet(track))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Marks the tracks a byte range touches: any byte of a track marks it, so an unaligned range marks
    /// every track it overlaps.
    /// </summary>
    /// <param name="byteOffset">The first byte.</param>
    /// <param name="byteLength">The number of bytes (positive).</param>
    public void MarkByteRange(long byteOffset, long byteLength)
    {
        if (byteOffset < 0 || byteLength <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(byteLength),
                "byte range at " + byteOffset + " of length " + byteLength + " is empty or negative");
        }

        SetRange(byteOffset / _geometry.TrackSizeBytes, (byteOffset + byteLength - 1) / _geometry.TrackSizeBytes);
    }

    /// <summary>Tells whether a track is marked.</summary>
    /// <param name="track">The track, in 0..TrackCount-1.</param>
    /// <returns>True if marked.</returns>
    public bool IsSet(long track)
    {
        if ((ulong)track >= (ulong)TrackCount)
        {
            ThrowTrackOutOfRange(track, TrackCount);
        }

        ulong[]? leaf = Volatile.Read(ref _plane).Get(track >> LeafTrackBits);
        return leaf is not null && (Volatile.Read(ref leaf[(track >> 6) & LeafWordMask]) & (1UL << (int)(track & 63))) != 0;
    }

    /// <summary>Unmarks one track and tells whether it was marked: the copy engine's "claim this track".</summary>
    /// <param name="track">The track, in 0..TrackCount-1.</param>
    /// <returns>True if this call cleared a set bit.</returns>
    public bool TryClear(long track)
    {
        if ((ulong)track >= (ulong)TrackCount)
        {
            ThrowTrackOutOfRange(track, TrackCount);
        }

        ulong[]? leaf = Volatile.Read(ref _plane).Get(track >> LeafTrackBits);
        if (leaf is null)
        {
            return false;
        }

        ulong mask = 1UL << (int)(track & 63);
        return (Interlocked.And(ref leaf[(track >> 6) & LeafWordMask], ~mask) & mask) != 0;
    }

    /// <summary>Counts the marked tracks.</summary>
    /// <returns>The number of set bits.</returns>
    public long CountSet()
    {
        SparseArray<ulong[]> plane = Volatile.Read(ref _plane);
        long count = 0;
        long index = plane.NextPopulated(0, out ulong[]? leaf);
        while (index >= 0)
        {
            for (int i = 0; i < leaf!.Length; i++)
            {
                count += BitOperations.PopCount(Volatile.Read(ref leaf[i]));
            }

            index = plane.NextPopulated(index + 1, out leaf);
        }

        return count;
    }

    /// <summary>Finds the first marked track at or after <paramref name="fromTrack"/>.</summary>
    /// <param name="fromTrack">Where the scan starts.</param>
    /// <returns>The track, or -1 when no marked track remains.</returns>
    public long NextSet(long fromTrack)
    {
        SetTrackEnumerator scan = EnumerateSet(fromTrack);
        return scan.MoveNext() ? scan.Current : -1;
    }

    /// <summary>
    /// Enumerates the marked tracks in ascending order, from <paramref name="fromTrack"/>: the copy engine's
    /// scan. Each 64-bit word is read once, so a bit set behind the scan is left for the next pass.
    /// </summary>
    /// <param name="fromTrack">Where the scan starts.</param>
    /// <returns>A struct enumerator (no allocation) usable with <c>foreach</c>.</returns>
    public SetTrackEnumerator EnumerateSet(long fromTrack = 0)
    {
        return new SetTrackEnumerator(Volatile.Read(ref _plane), Math.Max(0, fromTrack), TrackCount);
    }

    /// <summary>
    /// ORs another bitmap of the same volume shape into this one (resync's union of P-side and S-side
    /// changes). Safe while writers keep setting bits in this bitmap.
    /// </summary>
    /// <param name="other">A bitmap with the same track count.</param>
    public void UnionWith(DifferentialBitmap other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.TrackCount != TrackCount)
        {
            ThrowHelper.ThrowArgument(nameof(other),
                "cannot merge a bitmap of " + other.TrackCount + " tracks into one of " + TrackCount + " tracks");
        }

        SparseArray<ulong[]> source = Volatile.Read(ref other._plane);
        SparseArray<ulong[]> target = Volatile.Read(ref _plane);
        long index = source.NextPopulated(0, out ulong[]? sourceLeaf);
        while (index >= 0)
        {
            ulong[] targetLeaf = target.Get(index) ?? target.GetOrSet(index, new ulong[_leafWords]);
            for (int i = 0; i < targetLeaf.Length; i++)
            {
                ulong bits = Volatile.Read(ref sourceLeaf![i]);
                if (bits != 0 && (Volatile.Read(ref targetLeaf[i]) & bits) != bits)
                {
                    Interlocked.Or(ref targetLeaf[i], bits);
                }
            }

            index = source.NextPopulated(index + 1, out sourceLeaf);
        }
    }

    /// <summary>
    /// Installs an empty plane and returns the bits marked so far as a separate bitmap. Nothing is copied:
    /// the old plane moves to the returned object by one pointer exchange.
    /// </summary>
    /// <returns>A bitmap holding every bit set before the swap.</returns>
    public DifferentialBitmap SwapInFresh()
    {
        SparseArray<ulong[]> old = Interlocked.Exchange(ref _plane, NewPlane(TrackCount));
        return new DifferentialBitmap(this, old);
    }

    /// <summary>Gets the length of <see cref="WriteBits"/>'s output: one bit per track, track 0 in bit 0 of byte 0.</summary>
    public int BitsLength => checked((int)((TrackCount + 7) / 8));

    /// <summary>Writes the marked tracks as a plain bit string (the remote-copy link carries a bitmap so).</summary>
    /// <param name="destination">At least <see cref="BitsLength"/> bytes.</param>
    public void WriteBits(Span<byte> destination)
    {
        Span<byte> bits = destination[..BitsLength];
        bits.Clear();
        SetTrackEnumerator scan = EnumerateSet();
        while (scan.MoveNext())
        {
            long track = scan.Current;
            bits[(int)(track >> 3)] |= (byte)(1 << (int)(track & 7));
        }
    }

    /// <summary>Marks the tracks of a bit string written by <see cref="WriteBits"/> (a union: marks stay).</summary>
    /// <param name="bits">Exactly <see cref="BitsLength"/> bytes.</param>
    public void OrBits(ReadOnlySpan<byte> bits)
    {
        if (bits.Length != BitsLength)
        {
            ThrowHelper.ThrowArgument(nameof(bits), "a bit string of " + bits.Length + " bytes for a bitmap of " + TrackCount + " tracks (" + BitsLength + " bytes)");
        }

        for (int i = 0; i < bits.Length; i++)
        {
            int value = bits[i];
            while (value != 0)
            {
                int bit = System.Numerics.BitOperations.TrailingZeroCount(value);
                long track = ((long)i << 3) + bit;
                if (track >= TrackCount)
                {
                    ThrowHelper.ThrowArgument(nameof(bits), "bit " + track + " is beyond the last track, " + (TrackCount - 1));
                }

                Set(track);
                value &= value - 1;
            }
        }
    }

    /// <summary>Gets the number of leaves (of 65,536 tracks) the bitmap spans.</summary>
    internal long LeafCount => (TrackCount + (1L << LeafTrackBits) - 1) >> LeafTrackBits;

    /// <summary>
    /// Copies the words of the first leaf at or after <paramref name="fromLeaf"/> that has a marked track (the state
    /// files keep a bitmap leaf by leaf). Safe while writers set bits: a bit set during the copy may or may not be in it.
    /// </summary>
    /// <param name="fromLeaf">Where the scan starts.</param>
    /// <param name="words">Receives the leaf's <see cref="LeafWords"/> words.</param>
    /// <returns>The leaf's index, or -1 when no later leaf has a marked track.</returns>
    internal long CopyNextLeaf(long fromLeaf, Span<ulong> words)
    {
        SparseArray<ulong[]> plane = Volatile.Read(ref _plane);
        long index = plane.NextPopulated(Math.Max(0, fromLeaf), out ulong[]? leaf);
        while (index >= 0)
        {
            bool any = false;
            for (int i = 0; i < leaf!.Length; i++)
            {
                words[i] = Volatile.Read(ref leaf[i]);
                any |= words[i] != 0;
            }

            // A short leaf (a volume smaller than one leaf) has no words past its last track.
            words[leaf.Length..LeafWords].Clear();

            if (any)
            {
                return index;
            }

            index = plane.NextPopulated(index + 1, out leaf);
        }

        return -1;
    }

    /// <summary>Marks the tracks set in one leaf's words (a union), as <see cref="CopyNextLeaf"/> wrote them.</summary>
    /// <param name="leafIndex">The leaf.</param>
    /// <param name="words">Its <see cref="LeafWords"/> words; no bit beyond the last track.</param>
    internal void OrLeaf(long leafIndex, ReadOnlySpan<ulong> words)
    {
        SparseArray<ulong[]> plane = Volatile.Read(ref _plane);
        ulong[] leaf = plane.Get(leafIndex) ?? plane.GetOrSet(leafIndex, new ulong[_leafWords]);
        for (int i = 0; i < leaf.Length; i++)
        {
            if (words[i] != 0)
            {
                Interlocked.Or(ref leaf[i], words[i]);
            }
        }
    }

    /// <summary>Unmarks every track by installing an empty plane.</summary>
    public void ClearAll()
    {
        Volatile.Write(ref _plane, NewPlane(TrackCount));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref ulong WordFor(long track)
    {
        SparseArray<ulong[]> plane = Volatile.Read(ref _plane);
        long leafIndex = track >> LeafTrackBits;
        ulong[] leaf = plane.Get(leafIndex) ?? plane.GetOrSet(leafIndex, new ulong[_leafWords]);
        return ref leaf[(track >> 6) & LeafWordMask];
    }

    private static SparseArray<ulong[]> NewPlane(long trackCount)
    {
        return new SparseArray<ulong[]>(((trackCount - 1) >> LeafTrackBits) + 1);
    }

    // The cold path of Set, IsSet and TryClear, kept out of them so that they stay small enough to inline.
    [DoesNotReturn]
    private static void ThrowTrackOutOfRange(long track, long trackCount)
    {
        throw new ArgumentOutOfRangeException(nameof(track), track,
            "track " + track + " is outside the bitmap's 0.." + (trackCount - 1) + " tracks");
    }
}
