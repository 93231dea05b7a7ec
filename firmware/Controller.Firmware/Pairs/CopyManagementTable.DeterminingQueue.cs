// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Commands on a determining pair wait their turn instead of being refused BUSY (seed 002, R2-9): the pair is a lock,
/// and whoever asks second must see the state the first left and get FIG 4's answer for it (ABNORMAL END: copying,
/// paired, or its volume turned into an S-VOL), never "busy" and never "no such pair" during the role change. So
/// while a command on the pair is out at a side (waiting for the partner, or passed to the owner), the commands that
/// arrive there (a host's, or one the partner passed on) queue in arrival order and are decided, one at a time, when
/// it ends. At the owner this orders the contenders by their arrival there: the first wins.
/// </summary>
public sealed partial class CopyManagementTable
{
    // Commands waiting, by the entry of the pair's row at this subsystem (a swap resync keeps the entry). Each runs
    // under the lock and adds what must happen after it is released (answers, sends) to the list it is given.
    private readonly Dictionary<int, Queue<Action<List<Action>>>> _waiting = [];

    private long _determiningQueued;

    /// <summary>Gets the number of commands on determining pairs that waited for an earlier one instead of being refused BUSY.</summary>
    public long DeterminingCommandsQueued => Volatile.Read(ref _determiningQueued);

    // A determining pair's row whether the command names it in its present orientation or in the one before a swap
    // resync turned it (a host that looked before the swap); any other pair only as named.
    private MirrorPair? FindForCommandUnsynchronized(VolumeAddress pVolAddress, VolumeAddress sVolAddress)
    {
        MirrorPair? row = FindUnsynchronized(pVolAddress, sVolAddress);
        if (row is not null)
        {
            return row;
        }

        MirrorPair? turned = FindUnsynchronized(sVolAddress, pVolAddress);
        return turned is { Type: MirrorType.Remote, Determining: true } ? turned : null;
    }

    // A command on this determining pair must wait: one is out, or others already wait (arrival order).
    private bool MustWaitUnsynchronized(MirrorPair row)
    {
        return row.Determining && (row.ControlBusy || _waiting.ContainsKey(row.EntryId));
    }

    private void EnqueueUnsynchronized(MirrorPair row, Action<List<Action>> decide)
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
    private void RunWaiting(int entryId)
    {
        List<Action> after = [];
        lock (_lock)
        {
            if (!_waiting.TryGetValue(entryId, out Queue<Action<List<Action>>>? queue))
            {
                return;
            }

            while (queue.Count > 0 && RowOfEntryUnsynchronized(entryId) is not { ControlBusy: true })
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

    private MirrorPair? RowOfEntryUnsynchronized(int entryId)
    {
        foreach (MirrorPair row in _pairs)
        {
            if (row.EntryId == entryId && row.Type == MirrorType.Remote)
            {
                return row;
            }
        }

        return null;
    }

    // A host's command on a remote pair, decided now (the pair found again: it may have turned while it waited).
    private void DecideHostCommandUnsynchronized(VolumeAddress pVolAddress, VolumeAddress sVolAddress, PairOperation operation, SplitMode splitMode, Action<PairCommandResponse> answer, List<Action> after)
    {
        MirrorPair? pair = FindForCommandUnsynchronized(pVolAddress, sVolAddress);
        if (pair is null)
        {
            answer(Refuse(pVolAddress, sVolAddress, operation, PairErrorCode.NotPaired));
            return;
        }

        Action? send = pair.IsSecondary
            ? ExecuteAtSecondaryUnsynchronized(pair, operation, splitMode, answer)
            : ExecuteAtPrimaryUnsynchronized(pair, operation, splitMode, answer);
        if (send is not null)
        {
            after.Add(send);
        }
    }
}
