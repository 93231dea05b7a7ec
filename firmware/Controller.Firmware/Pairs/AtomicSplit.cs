// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>
/// One atomic split, from its command to its answer: the handle <see cref="CopyManagementTable.StartAtomicSplit"/>
/// returns. The split runs on the MPs and the scheduler; <see cref="Result"/> is set once, when it has committed and
/// released its holds, or aborted with nothing split. Its stages are moved by its <see cref="SplitCoordinator"/>, which
/// alone answers it.
/// </summary>
public sealed class AtomicSplit
{
    private readonly Action<AtomicSplitResult>? _completed;
    // No spinning before blocking: a waiter that spins takes a core from the MPs that are finishing the split
    // (on two cores that alone added milliseconds to one split in fifty).
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private AtomicSplitResult? _result;
    private int _completionAttempts;

    internal AtomicSplit(int id, AtomicSplitRequest request, Action<AtomicSplitResult>? completed)
    {
        Id = id;
        Request = request;
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

    /// <summary>Gets or sets the split's coordinator: the object that moves its stages and answers it, once.</summary>
    internal SplitCoordinator Coordinator { get; set; } = null!;

    /// <summary>Blocks until the split has ended, or the time runs out (real-time mode only).</summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <returns>True when it ended.</returns>
    public bool Wait(TimeSpan timeout)
    {
        return _done.Wait(timeout);
    }

    /// <summary>Gets how many times something tried to complete the split (1 when it ended once; tests).</summary>
    internal int CompletionAttempts => Volatile.Read(ref _completionAttempts);

    /// <summary>Sets the answer and tells the waiters; called once, outside the table's lock.</summary>
    /// <param name="result">The answer.</param>
    internal void Complete(AtomicSplitResult result)
    {
        // Exactly once: a second answer would go out on an exchange that may already serve another command. Only the
        // coordinator that moved the split to Finished calls this (SplitCoordinator.TryFinishUnsynchronized), so a
        // second call is a defect; it is counted (CompletionAttempts, for tests) and dropped.
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
