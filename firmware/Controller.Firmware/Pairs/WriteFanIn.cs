// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Volumes;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Joins the writes one origin write caused (its copies to every mirror, cascades included) back into one
/// completion: the origin is acknowledged only when the last of them has ended. Pooled: one per mirrored write in
/// flight, none for a write to a simplex volume.
/// </summary>
internal sealed class WriteFanIn : IBlockCommandCompletion
{
    private readonly ObjectPool<WriteFanIn> _pool;
    private readonly HostCommandLimit _hostLimit;
    private BlockCommand _origin;
    private int _pending;
    private int _status;

    public WriteFanIn(ObjectPool<WriteFanIn> pool, HostCommandLimit hostLimit)
    {
        _pool = pool;
        _hostLimit = hostLimit;
    }

    /// <summary>Arms the fan-in for an origin write.</summary>
    /// <param name="origin">The write to complete at the end (Good: it was written; failures of copies suspend their pair).</param>
    /// <param name="pending">The parts already outstanding.</param>
    public void Arm(in BlockCommand origin, int pending)
    {
        _origin = origin;
        _status = (int)MediaStatus.Good;
        Volatile.Write(ref _pending, pending);
    }

    /// <summary>
    /// Makes the origin complete with an error instead of Good (the first error wins): a fenced remote mirror, or an
    /// update copy the secondary could not apply. Called before the part's <see cref="Release"/>.
    /// </summary>
    /// <param name="status">The error.</param>
    public void Fail(MediaStatus status)
    {
        Interlocked.CompareExchange(ref _status, (int)status, (int)MediaStatus.Good);
    }

    /// <summary>
    /// A mirror write of this fan-in did not land on its target. Only an update copy received from a primary
    /// (the origin is itself the mirror write of that pair) reports it: its primary must know. A host write is still
    /// Good when a local mirror fails (the P-VOL has it; the pair is suspended).
    /// </summary>
    /// <param name="pair">The pair whose mirror write failed.</param>
    /// <param name="status">Why.</param>
    public void MirrorFailed(MirrorPair pair, MediaStatus status)
    {
        if (_origin.Kind == BlockCommandKind.MirrorWrite && ReferenceEquals(_origin.Relation, pair))
        {
            Fail(status);
        }
    }

    /// <summary>
    /// Replaces the origin's buffer: a copied track's target kept the copy engine's buffer and handed back the
    /// storage it replaced (or nothing), which the origin's completion returns to the pool instead.
    /// </summary>
    /// <param name="replaced">The replaced storage, or null.</param>
    public void ReplaceOriginBuffer(byte[]? replaced)
    {
        _origin = _origin.WithBuffer(replaced is null ? default : new ArraySegment<byte>(replaced));
    }

    /// <summary>Counts one more part; called before the part is queued.</summary>
    public void AddPending()
    {
        Interlocked.Increment(ref _pending);
    }

    /// <summary>Ends one part; the last one completes the origin and returns the fan-in to the pool.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _pending) != 0)
        {
            return;
        }

        BlockCommand origin = _origin;
        MediaStatus status = (MediaStatus)Volatile.Read(ref _status);
        _origin = default;
        _pool.Return(this);
        if (origin.Kind == BlockCommandKind.Write)
        {
            // A host write (not a copied track): it is answered now, and leaves the in-flight count.
            _hostLimit.Leave();
        }

        origin.Completion.Complete(origin, status);
    }

    /// <summary>A mirror write this fan-in waits for has ended.</summary>
    /// <param name="command">The mirror write.</param>
    /// <param name="status">Its media status (a failure has already suspended its pair).</param>
    public void Complete(in BlockCommand command, MediaStatus status)
    {
        Release();
    }

    /// <summary>Creates the pool the MPs share.</summary>
    /// <param name="maximumRetained">The most idle fan-ins kept (about the most mirrored writes in flight).</param>
    /// <param name="hostLimit">Told when a host write is answered.</param>
    /// <returns>The pool.</returns>
    public static ObjectPool<WriteFanIn> CreatePool(int maximumRetained, HostCommandLimit hostLimit)
    {
        Policy policy = new(hostLimit);
        DefaultObjectPool<WriteFanIn> pool = new(policy, maximumRetained);
        policy.Bind(pool);
        return pool;
    }

    private sealed class Policy(HostCommandLimit hostLimit) : IPooledObjectPolicy<WriteFanIn>
    {
        private ObjectPool<WriteFanIn>? _pool;

        public WriteFanIn Create()
        {
            return new WriteFanIn(_pool!, hostLimit);
        }

        public bool Return(WriteFanIn obj)
        {
            return true;
        }

        internal void Bind(ObjectPool<WriteFanIn> pool)
        {
            _pool = pool;
        }
    }
}
