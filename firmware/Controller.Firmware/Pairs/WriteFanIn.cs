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
    private BlockCommand _origin;
    private int _pending;

    public WriteFanIn(ObjectPool<WriteFanIn> pool)
    {
        _pool = pool;
    }

    /// <summary>Arms the fan-in for an origin write.</summary>
    /// <param name="origin">The write to complete at the end (Good: it was written; failures of copies suspend their pair).</param>
    /// <param name="pending">The parts already outstanding.</param>
    public void Arm(in BlockCommand origin, int pending)
    {
        _origin = origin;
        Volatile.Write(ref _pending, pending);
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
        _origin = default;
        _pool.Return(this);
        origin.Completion.Complete(origin, MediaStatus.Good);
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
    /// <returns>The pool.</returns>
    public static ObjectPool<WriteFanIn> CreatePool(int maximumRetained)
    {
        Policy policy = new();
        DefaultObjectPool<WriteFanIn> pool = new(policy, maximumRetained);
        policy.Bind(pool);
        return pool;
    }

    private sealed class Policy : IPooledObjectPolicy<WriteFanIn>
    {
        private ObjectPool<WriteFanIn>? _pool;

        public WriteFanIn Create()
        {
            return new WriteFanIn(_pool!);
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
