// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using Controller.Firmware.Collections;

namespace Controller.Firmware.Bitmaps;

/// <summary>
/// Walks the marked tracks of one plane of a <see cref="DifferentialBitmap"/> in ascending order. It keeps
/// its place (leaf, word, remaining bits) between calls, so a full scan costs one step per marked track plus
/// one per word, not a fresh lookup per track as <see cref="DifferentialBitmap.NextSet"/> does.
/// </summary>
// Mutable struct! Don't make this readonly or copy it mid-scan: MoveNext advances it in place.
public struct SetTrackEnumerator
{
    private readonly SparseArray<ulong[]> _plane;
    private ulong[]? _leaf;
    private long _leafIndex;
    private int _wordIndex;
    private ulong _bits;

    internal SetTrackEnumerator(SparseArray<ulong[]> plane, long fromTrack, long trackCount)
    {
        _plane = plane;
        Current = -1;
        _leafIndex = fromTrack >= trackCount ? -1 : plane.NextPopulated(fromTrack >> DifferentialBitmap.LeafTrackBits, out _leaf);
        _wordIndex = 0;
        _bits = 0;
        if (_leafIndex >= 0)
        {
            long leafBase = _leafIndex << DifferentialBitmap.LeafTrackBits;
            if (fromTrack > leafBase)
            {
                // Start inside this leaf: at the word holding fromTrack, without the bits below it.
                _wordIndex = (int)((fromTrack - leafBase) >> 6);
                _bits = Volatile.Read(ref _leaf![_wordIndex]) & (ulong.MaxValue << (int)(fromTrack & 63));
            }
            else
            {
                _bits = Volatile.Read(ref _leaf![0]);
            }
        }
    }

    /// <summary>Gets the current marked track.</summary>
    public long Current { get; private set; }

    /// <summary>Returns this enumerator, so that it works with <c>foreach</c>.</summary>
    /// <returns>This enumerator.</returns>
    public readonly SetTrackEnumerator GetEnumerator()
    {
        return this;
    }

    /// <summary>Moves to the next marked track.</summary>
    /// <returns>False when no marked track remains.</returns>
    public bool MoveNext()
    {
        while (_leafIndex >= 0)
        {
            if (_bits != 0)
            {
                Current = (_leafIndex << DifferentialBitmap.LeafTrackBits) + ((long)_wordIndex << 6) + BitOperations.TrailingZeroCount(_bits);

                // Clear the lowest set bit: the next call finds the one after it.
                _bits &= _bits - 1;
                return true;
            }

            if (++_wordIndex < _leaf!.Length)
            {
                _bits = Volatile.Read(ref _leaf![_wordIndex]);
                continue;
            }

            _leafIndex = _plane.NextPopulated(_leafIndex + 1, out _leaf);
            _wordIndex = 0;
            _bits = _leafIndex >= 0 ? Volatile.Read(ref _leaf![0]) : 0;
        }

        Current = -1;
        return false;
    }
}
