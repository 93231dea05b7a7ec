// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>
/// A hold on one volume's writes, as a freeze sets it on each member P-VOL (seed 000 S1050): while it is set on the
/// volume, every write that reaches the volume's MP (host write, or mirror write from upstream) is parked here in
/// arrival order, neither failed nor acknowledged; reads pass. A volume-level gate: the split that sets it is above. Parked and released only on the volume's MP, so no lock: the control
/// plane publishes the gate, and the release runs as a task on that MP.
/// </summary>
internal sealed class HoldGate
{
    // Empty until a write is parked: most gates of a large split hold nothing.
    private readonly List<BlockCommand> _held = [];
    private readonly List<long> _heldAt = [];
    private readonly TimeProvider _clock;

    public HoldGate(Ldev volume, TimeProvider clock, long fromSequence)
    {
        Volume = volume;
        _clock = clock;
        FromSequence = fromSequence;
    }

    /// <summary>
    /// Gets the write sequence number taken when the hold was set: an update copy from a primary numbered below it
    /// arrived before the hold (its origin write was admitted before the coordinator's hold) and passes.
    /// </summary>
    public long FromSequence { get; }

    /// <summary>Gets the member P-VOL held.</summary>
    public Ldev Volume { get; }

    /// <summary>Gets the writes parked so far (read on the volume's MP, or after the release).</summary>
    public int HeldCount => _held.Count;

    /// <summary>Gets how long each parked write was held, in clock ticks, once released (in arrival order).</summary>
    public List<long> HoldTicks { get; } = [];

    /// <summary>Parks a write; on the volume's MP.</summary>
    /// <param name="command">The write.</param>
    public void Park(in BlockCommand command)
    {
        _held.Add(command);
        _heldAt.Add(_clock.GetTimestamp());
    }

    /// <summary>
    /// Lifts the hold and runs the parked writes in arrival order, before anything queued behind this task; on the
    /// volume's MP. After a commit they find the members split and only mark; after an abort, mirrored.
    /// </summary>
    /// <param name="handler">Runs each write as if it had just arrived.</param>
    public void Release(Queues.ICommandHandler<BlockCommand> handler)
    {
        Volume.Hold = null;
        long now = _clock.GetTimestamp();
        for (int i = 0; i < _held.Count; i++)
        {
            HoldTicks.Add(now - _heldAt[i]);
            handler.Execute(_held[i]);
        }

        _held.Clear();
        _heldAt.Clear();
    }
}
