// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using Controller.Addressing;

namespace Controller.Firmware.Collections;

/// <summary>
/// A lazily populated array of references indexed by a 64-bit index: a radix tree of 1024-slot pages.
/// Only the pages on the path to a populated index exist, so a 2^48-block volume costs nothing until it
/// is written, and memory grows with what is stored. Reads are lock-free; a slot is filled once, by a
/// compare-and-swap, so concurrent writers agree on a single winner.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class SparseArray<T>
    where T : class
{
    /// <summary>log2 of the number of slots in an interior or leaf page.</summary>
    public const int PageBits = 10;

    private const int PageSize = 1 << PageBits;
    private const long PageMask = PageSize - 1;

    // Sized to what the top level needs, so a small array costs one small page.
    private readonly object?[] _root;
    private readonly int _topShift;
    private long _populatedCount;

    /// <summary>Initializes an empty array of the given length.</summary>
    /// <param name="length">The number of addressable slots (positive).</param>
    public SparseArray(long length)
    {
        if (length <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(length), "length must be positive");
        }

        Length = length;
        int levels = 1;
        while (levels * PageBits < 62 && (1L << (levels * PageBits)) < length)
        {
            levels++;
        }

        _topShift = (levels - 1) * PageBits;
        long rootSlots = ((length - 1) >> _topShift) + 1;
        _root = new object?[rootSlots];
    }

    /// <summary>Gets the number of addressable slots.</summary>
    public long Length { get; }

    /// <summary>Gets how many slots hold an element.</summary>
    public long PopulatedCount => Volatile.Read(ref _populatedCount);

    /// <summary>Gets the element at an index, or null if none was stored there.</summary>
    /// <param name="index">The index, in 0..Length-1 (not checked: callers check their own ranges).</param>
    /// <returns>The element or null.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T? Get(long index)
    {
        object?[] page = _root;
        for (int shift = _topShift; shift > 0; shift -= PageBits)
        {
            object? child = Volatile.Read(ref page[(index >> shift) & PageMask]);
            if (child is null)
            {
                return null;
            }

            // Interior slots only ever hold pages.
            page = Unsafe.As<object?[]>(child);
        }

        return Unsafe.As<T?>(Volatile.Read(ref page[index & PageMask]));
    }

    /// <summary>
    /// Stores <paramref name="value"/> at an empty index, or returns what a racing writer stored first.
    /// </summary>
    /// <param name="index">The index, in 0..Length-1.</param>
    /// <param name="value">The candidate element.</param>
    /// <returns>The element that is now at the index.</returns>
    public T GetOrSet(long index, T value)
    {
        object?[] page = _root;
        for (int shift = _topShift; shift > 0; shift -= PageBits)
        {
            ref object? slot = ref page[(index >> shift) & PageMask];
            object? child = Volatile.Read(ref slot);
            if (child is null)
            {
                object?[] fresh = new object?[PageSize];
                child = Interlocked.CompareExchange(ref slot, fresh, null) ?? fresh;
            }

            page = Unsafe.As<object?[]>(child);
        }

        object? existing = Interlocked.CompareExchange(ref page[index & PageMask], value, null);
        if (existing is null)
        {
            Interlocked.Increment(ref _populatedCount);
            return value;
        }

        return Unsafe.As<T>(existing);
    }

    /// <summary>
    /// Stores <paramref name="value"/> (or null, emptying the index) at an index, whatever was there, and returns
    /// the previous element.
    /// </summary>
    /// <param name="index">The index, in 0..Length-1.</param>
    /// <param name="value">The new element, or null.</param>
    /// <returns>The element that was at the index, or null.</returns>
    public T? Exchange(long index, T? value)
    {
        object?[] page = _root;
        for (int shift = _topShift; shift > 0; shift -= PageBits)
        {
            ref object? slot = ref page[(index >> shift) & PageMask];
            object? child = Volatile.Read(ref slot);
            if (child is null)
            {
                if (value is null)
                {
                    return null; // emptying an index that was never filled
                }

                object?[] fresh = new object?[PageSize];
                child = Interlocked.CompareExchange(ref slot, fresh, null) ?? fresh;
            }

            page = Unsafe.As<object?[]>(child);
        }

        T? previous = Unsafe.As<T?>(Interlocked.Exchange(ref page[index & PageMask], value));
        if (previous is null && value is not null)
        {
            Interlocked.Increment(ref _populatedCount);
        }
        else if (previous is not null && value is null)
        {
            Interlocked.Decrement(ref _populatedCount);
        }

        return previous;
    }

    /// <summary>Finds the first populated index at or after <paramref name="from"/>.</summary>
    /// <param name="from">Where to start.</param>
    /// <param name="value">The element found, or null.</param>
    /// <returns>Its index, or -1 when there is none.</returns>
    public long NextPopulated(long from, out T? value)
    {
        if (from >= Length)
        {
            value = null;
            return -1;
        }

        return Search(_root, _topShift, 0, from < 0 ? 0 : from, out value);
    }

    private long Search(object?[] page, int shift, long pageBase, long from, out T? value)
    {
        // This page covers [pageBase, pageBase + (page.Length << shift)); skip the slots wholly before 'from'.
        int slot = from <= pageBase ? 0 : (int)((from - pageBase) >> shift);
        for (; slot < page.Length; slot++)
        {
            object? child = Volatile.Read(ref page[slot]);
            if (child is null)
            {
                continue;
            }

            long childBase = pageBase + ((long)slot << shift);
            if (shift == 0)
            {
                value = Unsafe.As<T>(child);
                return childBase;
            }

            long found = Search(Unsafe.As<object?[]>(child), shift - PageBits, childBase, from, out value);
            if (found >= 0)
            {
                return found;
            }
        }

        value = null;
        return -1;
    }
}
