// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.RemoteCopy;

namespace Controller.Firmware.Pairs;

/// <summary>
/// One atomic split, from its command to its answer: the handle <see cref="CopyManagementTable.StartAtomicSplit"/>
/// returns. The split runs on the MPs and the scheduler; <see cref="Result"/> is set once, when it has committed and
/// released its holds, or aborted with nothing split. Its stages are moved by the Copy Management Table under its
/// lock.
/// </summary>
public sealed class AtomicSplit
{
    private readonly Action<AtomicSplitResult>? _completed;
    // No spinning before blocking: a waiter that spins takes a core from the MPs that are finishing the split
    // (on two cores that alone added milliseconds to one split in fifty).
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private AtomicSplitResult? _result;
    private int _releasesPending;
    private int _completionAttempts;

    internal AtomicSplit(int id, AtomicSplitRequest request, MirrorPair[] members, PairAddress[] addresses, long startTicks, Action<AtomicSplitResult>? completed)
    {
        Id = id;
        Request = request;
        Members = members;
        Addresses = addresses;
        StartTicks = startTicks;
        _completed = completed;
    }

    /// <summary>Gets the split's number in its controller (from 1).</summary>
    public int Id { get; }

    /// <summary>Gets the command.</summary>
    public AtomicSplitRequest Request { get; }

    /// <summary>Gets the answer, once the split has ended (null before).</summary>
    public AtomicSplitResult? Result => Volatile.Read(ref _result);

    /// <summary>Gets whether the split has ended.</summary>
    public bool IsCompleted => Result is not null;

    /// <summary>Gets the members in this subsystem (a coordinator's may be none: every member in the peer).</summary>
    internal MirrorPair[] Members { get; }

    /// <summary>Gets or sets which split this is in both subsystems (the coordinator's serial and split number).</summary>
    internal SplitIdentity Identity { get; set; }

    /// <summary>Gets or sets, at the coordinator of a cross-subsystem split, the members in the peer and their state.</summary>
    internal PeerSplitPart? Peer { get; set; }

    /// <summary>Gets or sets, at a peer, the coordinator's link identity (0: this split was not coordinated elsewhere).</summary>
    internal int Coordinator { get; set; }

    /// <summary>Gets or sets, at a peer, where the answer to the coordinator's commit goes.</summary>
    internal Action<RemoteControlReply>? CommitReply { get; set; }

    /// <summary>Gets or sets the split time every member records (the coordinator's, sent with the commit).</summary>
    internal DateTimeOffset CommitTime { get; set; }

    /// <summary>Gets or sets the split point recorded in the members (this subsystem's write sequence).</summary>
    internal long CommitPoint { get; set; }

    internal PairAddress[] Addresses { get; }

    internal SplitStage Stage { get; set; }

    /// <summary>Gets or sets the freeze's holds, one per member P-VOL (empty for a sequence cut).</summary>
    internal HoldGate[] Gates { get; set; } = [];

    /// <summary>Gets or sets the sequence cut's split point (null for a freeze).</summary>
    internal SplitCut? Cut { get; set; }

    internal long StartTicks { get; }

    /// <summary>Gets or sets the hold timeout's timer, cancelled when the split ends.</summary>
    internal IDisposable? Timeout { get; set; }

    internal long HoldTicks { get; set; }

    internal long DrainDoneTicks { get; set; }

    /// <summary>Gets or sets the error an abort answers with (None while the split can still commit).</summary>
    internal PairErrorCode AbortError { get; set; }

    internal PairAddress? AbortPair { get; set; }

    internal string AbortReason { get; set; } = string.Empty;

    /// <summary>Blocks until the split has ended, or the time runs out (real-time mode only).</summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <returns>True when it ended.</returns>
    public bool Wait(TimeSpan timeout)
    {
        return _done.Wait(timeout);
    }

    /// <summary>Gets how many times something tried to complete the split (1 when it ended once; tests).</summary>
    internal int CompletionAttempts => Volatile.Read(ref _completionAttempts);

    /// <summary>Counts the release tasks about to be queued.</summary>
    /// <param name="count">One per MP owning a held P-VOL.</param>
    internal void ExpectReleases(int count)
    {
        Volatile.Write(ref _releasesPending, count);
    }

    /// <summary>One MP's held writes ran; the last one ends the release.</summary>
    /// <returns>True for the last.</returns>
    internal bool ReleaseDone()
    {
        return Interlocked.Decrement(ref _releasesPending) == 0;
    }

    /// <summary>Sets the answer and tells the waiters; called once, outside the table's lock.</summary>
    /// <param name="result">The answer.</param>
    internal void Complete(AtomicSplitResult result)
    {
        // Exactly once: a second answer would go out on an exchange that may already serve another command. Every
        // path ends a split under the table's lock by its stage, so a second call is a defect; it is counted
        // (CompletionAttempts, for tests) and dropped.
        if (Interlocked.Increment(ref _completionAttempts) != 1)
        {
            return;
        }

        // The callback first (the target answers the host from it), then the waiters: waking a waiting thread
        // can cost a context switch on a small machine, which the answer should not wait for.
        Volatile.Write(ref _result, result);
        _completed?.Invoke(result);
        _done.Set();
    }
}
