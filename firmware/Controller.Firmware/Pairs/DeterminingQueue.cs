// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Host commands on remote pairs, and the queue of a determining pair's commands (seed 002, R2-9): commands on a
/// determining pair wait their turn instead of being refused BUSY. The pair is a lock, and whoever asks second must see
/// the state the first left and get FIG 4's answer for it (ABNORMAL END: copying, paired, or its volume turned into an
/// S-VOL), never "busy" and never "no such pair" during the role change. So while a command on the pair is out at a
/// side (waiting for the partner, or passed to the owner), the commands that arrive there (a host's, or one the
/// partner passed on) queue in arrival order and are decided, one at a time, when it ends. At the owner this orders
/// the contenders by their arrival there: the first wins.
/// </summary>
internal sealed class DeterminingQueue
{
    private readonly CopyManagementTable _table;
    private readonly PairRegistry _registry;
    private readonly PairStateMachine _states;

    // Commands waiting, by the entry of the pair's row at this subsystem (a swap resync keeps the entry). Each runs
    // under the lock and adds what must happen after it is released (answers, sends) to the list it is given.
    private readonly Dictionary<int, Queue<Action<List<Action>>>> _waiting = [];

    private long _determiningQueued;

    /// <summary>Initializes an empty queue.</summary>
    /// <param name="table">The table (its owners).</param>
    public DeterminingQueue(CopyManagementTable table)
    {
        _table = table;
        _registry = table.Registry;
        _states = table.States;
    }

    /// <summary>
    /// Runs a command on a pair, local or remote. A local pair's command is decided at once (<see cref="PairStateMachine.Execute"/>);
    /// a remote pair's is agreed with its secondary first. At the secondary a delete of a pair whose primary is out
    /// of reach (PSUE) and an S-VOL takeover (a read/write split in PSUE) are run there; every other command is
    /// passed to the primary over a path that reaches it, and refused with <see cref="PairErrorCode.NotPrimary"/>
    /// when there is none (<see cref="PairTakeover"/>).
    /// </summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="operation">The command (use <see cref="CopyManagementTable.Create"/> or <see cref="CopyManagementTable.CreateRemoteAsync"/> to create).</param>
    /// <param name="splitMode">For a split: whether the S-VOL becomes read/write.</param>
    /// <returns>The answer.</returns>
    public Task<PairCommandResponse> ExecuteAsync(VolumeAddress pVolAddress, VolumeAddress sVolAddress, PairOperation operation, SplitMode splitMode)
    {
        if (operation is PairOperation.Create or PairOperation.CreateNoCopy)
        {
            ThrowHelper.ThrowArgument(nameof(operation), "create needs the LDEVs: call Create or CreateRemoteAsync");
        }

        MirrorPair? pair;
        lock (_registry.Lock)
        {
            pair = FindForCommandUnsynchronized(pVolAddress, sVolAddress);
        }

        if (pair is null || pair.Type == MirrorType.Local)
        {
            return Task.FromResult(_states.Execute(pVolAddress, sVolAddress, operation, splitMode));
        }

        TaskCompletionSource<PairCommandResponse> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        List<Action> after = [];
        lock (_registry.Lock)
        {
            pair = FindForCommandUnsynchronized(pVolAddress, sVolAddress);
            if (pair is null)
            {
                return Task.FromResult(_states.RefuseUnsynchronized(pVolAddress, sVolAddress, operation, PairErrorCode.NotPaired).ToResponse());
            }

            if (MustWaitUnsynchronized(pair))
            {
                // A determining pair with a command out: this one waits its turn (below).
                EnqueueUnsynchronized(pair, later => DecideHostCommandUnsynchronized(pVolAddress, sVolAddress, operation, splitMode, answer.SetResult, later));
                return answer.Task;
            }

            DecideHostCommandUnsynchronized(pVolAddress, sVolAddress, operation, splitMode, answer.SetResult, after);
        }

        // Outside the lock: a path that is down answers at once, on this thread.
        foreach (Action action in after)
        {
            action();
        }

        return answer.Task;
    }

    /// <summary>Gets the number of commands on determining pairs that waited for an earlier one instead of being refused BUSY.</summary>
    public long DeterminingCommandsQueued => Volatile.Read(ref _determiningQueued);

    // A determining pair's row whether the command names it in its present orientation or in the one before a swap
    // resync turned it (a host that looked before the swap); any other pair only as named.
    public MirrorPair? FindForCommandUnsynchronized(VolumeAddress pVolAddress, VolumeAddress sVolAddress)
    {
        MirrorPair? row = _registry.FindUnsynchronized(pVolAddress, sVolAddress);
        if (row is not null)
        {
            return row;
        }

        MirrorPair? turned = _registry.FindUnsynchronized(sVolAddress, pVolAddress);
        return turned is { Type: MirrorType.Remote, Determining: true } ? turned : null;
    }

    // A command on this determining pair must wait: one is out, or others already wait (arrival order).
    public bool MustWaitUnsynchronized(MirrorPair row)
    {
        return row.Determining && (row.ControlBusy || _waiting.ContainsKey(row.EntryId));
    }

    public void EnqueueUnsynchronized(MirrorPair row, Action<List<Action>> decide)
    {
        if (!_waiting.TryGetValue(row.EntryId, out Queue<Action<List<Action>>>? queue))
        {
            queue = new Queue<Action<List<Action>>>();
            _waiting.Add(row.EntryId, queue);
        }

        queue.Enqueue(decide);
        Volatile.Write(ref _determiningQueued, _determiningQueued + 1);
    }

    // The command out on this entry's pair has ended: decide the waiting ones in order until one is out again.
    public void RunWaiting(int entryId)
    {
        List<Action> after = [];
        lock (_registry.Lock)
        {
            if (!_waiting.TryGetValue(entryId, out Queue<Action<List<Action>>>? queue))
            {
                return;
            }

            while (queue.Count > 0 && _registry.RemoteRowOfEntryUnsynchronized(entryId) is not { ControlBusy: true })
            {
                queue.Dequeue()(after);
            }

            if (queue.Count == 0)
            {
                _waiting.Remove(entryId);
            }
        }

        foreach (Action action in after)
        {
            action();
        }
    }

    // A host's command on a remote pair, decided now (the pair found again: it may have turned while it waited).
    private void DecideHostCommandUnsynchronized(VolumeAddress pVolAddress, VolumeAddress sVolAddress, PairOperation operation, SplitMode splitMode, Action<PairCommandResponse> answer, List<Action> after)
    {
        MirrorPair? pair = FindForCommandUnsynchronized(pVolAddress, sVolAddress);
        if (pair is null)
        {
            answer(_states.RefuseUnsynchronized(pVolAddress, sVolAddress, operation, PairErrorCode.NotPaired).ToResponse());
            return;
        }

        Action? send = pair.IsSecondary
            ? _table.Takeover.ExecuteAtSecondaryUnsynchronized(pair, operation, splitMode, answer)
            : _table.Primary.ExecuteAtPrimaryUnsynchronized(pair, operation, splitMode, answer);
        if (send is not null)
        {
            after.Add(send);
        }
    }
}
