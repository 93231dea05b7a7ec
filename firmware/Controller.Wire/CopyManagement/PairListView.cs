// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.CopyManagement;

/// <summary>
/// The descriptors of a pair list <see cref="PairList.TryRead"/> has checked: a view on the parameter list, no
/// copy; each pair is decoded when it is read. Enumerate it with <c>foreach</c> (no allocation), or copy it out
/// with <see cref="ToArray"/> or <see cref="AddTo"/> when the pairs must outlive the buffer.
/// </summary>
public readonly ref struct PairListView
{
    private readonly ReadOnlySpan<byte> _descriptors;

    internal PairListView(ReadOnlySpan<byte> descriptors, int count)
    {
        _descriptors = descriptors;
        Count = count;
    }

    /// <summary>Gets the number of pairs.</summary>
    public int Count { get; }

    /// <summary>Gets pair <paramref name="index"/>, in the order of the list.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    /// <returns>The pair.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the list.</exception>
    public WirePair this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return PairList.ReadDescriptor(_descriptors, index);
        }
    }

    /// <summary>Gets an enumerator over the pairs, in order.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator()
    {
        return new Enumerator(_descriptors, Count);
    }

    /// <summary>Copies the pairs into a new array (the control plane keeps them after the buffer is returned).</summary>
    /// <returns>The pairs, in order; an empty array when there are none.</returns>
    public WirePair[] ToArray()
    {
        if (Count == 0)
        {
            return [];
        }

        WirePair[] pairs = new WirePair[Count];
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = PairList.ReadDescriptor(_descriptors, i);
        }

        return pairs;
    }

    /// <summary>Appends the pairs, in order, to a caller's list.</summary>
    /// <param name="destination">The list to add to.</param>
    public void AddTo(List<WirePair> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.EnsureCapacity(destination.Count + Count);
        for (int i = 0; i < Count; i++)
        {
            destination.Add(PairList.ReadDescriptor(_descriptors, i));
        }
    }

    /// <summary>Enumerates the pairs of a <see cref="PairListView"/> without allocating.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _descriptors;
        private readonly int _count;
        private int _index;

        internal Enumerator(ReadOnlySpan<byte> descriptors, int count)
        {
            _descriptors = descriptors;
            _count = count;
            _index = -1;
        }

        /// <summary>Gets the current pair.</summary>
        public readonly WirePair Current => PairList.ReadDescriptor(_descriptors, _index);

        /// <summary>Moves to the next pair.</summary>
        /// <returns>False after the last pair.</returns>
        public bool MoveNext()
        {
            int next = _index + 1;
            if (next >= _count)
            {
                return false;
            }

            _index = next;
            return true;
        }
    }
}
