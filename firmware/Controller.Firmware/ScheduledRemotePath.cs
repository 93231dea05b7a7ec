// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware;

/// <summary>
/// A remote-copy link between two subsystems of one process that carries the messages on a scheduler instead of
/// FCP exchanges: the same messages, in order (one FIFO each way, like one TCP connection), each delivery and each
/// reply a step of the scheduler, so a deterministic scheduler interleaves them with the MPs by its seed. Faults are
/// injected by <see cref="Down"/> and <see cref="Up"/> at chosen points: messages still on the wire are lost, and
/// their senders learn LINK DOWN; both subsystems learn the link is gone at once, as with a dropped connection.
/// </summary>
/// <remarks>
/// It joins two subsystems, so it sits with <see cref="StorageSubsystem"/> on top of the core's namespaces, as the
/// port front's FCP path sits on top of the core: it hands what arrives straight to the secondary's
/// <see cref="CopyManagementTable"/>, a direct call on every update copy. Kept in <c>RemoteCopy</c> it made that
/// namespace and <c>Pairs</c> use each other; an interface there for the table to implement would have broken the
/// cycle too, at the price of an interface call per update copy (docs/architecture.md, "Layers inside the core").
/// </remarks>
public sealed class ScheduledRemotePath : IRemoteCopyPath
{
    private readonly IScheduler _scheduler;
    private readonly CopyManagementTable _secondary;
    private readonly Func<VolumeAddress, Ldev?> _resolve;
    private readonly Func<PortId, bool> _reaches;
    private readonly Lock _lock = new();
    private readonly Queue<Message> _toSecondary = new();
    private readonly Queue<Message> _toPrimary = new();
    private readonly Pump _forward;
    private readonly Pump _back;
    private long _epoch;
    private long _updatesDelivered;
    private long _blocksDelivered;
    private volatile bool _up = true;

    /// <summary>Initializes a path that is up.</summary>
    /// <param name="name">A name for logs.</param>
    /// <param name="scheduler">Where messages are delivered (the two subsystems' scheduler).</param>
    /// <param name="peer">The primary's link identity, as the secondary records it (an initiator port ID).</param>
    /// <param name="secondary">The secondary's Copy Management Table.</param>
    /// <param name="resolve">Finds an LDEV of the secondary by its address (as its port front would).</param>
    /// <param name="reaches">Which port IDs are the secondary's.</param>
    public ScheduledRemotePath(string name, IScheduler scheduler, int peer, CopyManagementTable secondary, Func<VolumeAddress, Ldev?> resolve, Func<PortId, bool> reaches)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(secondary);
        ArgumentNullException.ThrowIfNull(resolve);
        ArgumentNullException.ThrowIfNull(reaches);
        Name = name;
        Peer = peer;
        _scheduler = scheduler;
        _secondary = secondary;
        _resolve = resolve;
        _reaches = reaches;
        _forward = new Pump(this, _toSecondary);
        _back = new Pump(this, _toPrimary);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Gets the primary's link identity at the secondary.</summary>
    public int Peer { get; }

    /// <inheritdoc/>
    public bool IsUp => _up;

    /// <summary>Gets the number of update copies delivered to the secondary.</summary>
    public long UpdatesDelivered => Interlocked.Read(ref _updatesDelivered);

    /// <summary>Gets the number of blocks carried by update copies delivered to the secondary.</summary>
    public long BlocksDelivered => Interlocked.Read(ref _blocksDelivered);

    /// <inheritdoc/>
    public event Action<bool>? StateChanged;

    /// <inheritdoc/>
    public bool Reaches(PortId port)
    {
        return _reaches(port);
    }

    /// <inheritdoc/>
    public void SendUpdate(in RemoteUpdate update, IRemoteUpdateCompletion completion)
    {
        Send(_toSecondary, _forward, new Message { Update = update, UpdateCompletion = completion });
    }

    /// <inheritdoc/>
    public void SendControl(RemoteControl request, Action<RemoteControlReply> reply)
    {
        Send(_toSecondary, _forward, new Message { Control = request, ControlReply = reply });
    }

    /// <summary>Takes the link down: messages on the wire are lost, and both subsystems learn it now.</summary>
    public void Down()
    {
        lock (_lock)
        {
            if (!_up)
            {
                return;
            }

            _up = false;
            _epoch++;
        }

        StateChanged?.Invoke(false);
        _secondary.OnRemotePeerLost(Peer);
        Flush(_toSecondary);
        Flush(_toPrimary);
    }

    /// <summary>Brings the link back up. Suspended pairs stay suspended until a resync.</summary>
    public void Up()
    {
        lock (_lock)
        {
            if (_up)
            {
                return;
            }

            _up = true;
        }

        StateChanged?.Invoke(true);
    }

    private void Send(Queue<Message> queue, Pump pump, Message message)
    {
        bool accepted;
        bool schedule = false;
        lock (_lock)
        {
            accepted = _up;
            if (accepted)
            {
                message.Epoch = _epoch;
                queue.Enqueue(message);
                schedule = queue.Count == 1;
            }
        }

        if (!accepted)
        {
            message.Fail();
        }
        else if (schedule)
        {
            pump.Schedule();
        }
    }

    // Fails every message still queued: the link that would have carried it is gone.
    private void Flush(Queue<Message> queue)
    {
        List<Message> lost = [];
        lock (_lock)
        {
            while (queue.Count > 0)
            {
                lost.Add(queue.Dequeue());
            }
        }

        foreach (Message message in lost)
        {
            message.Fail();
        }
    }

    // Delivers the head of a queue; one pump per direction, scheduled while its queue is not empty.
    private void DeliverNext(Queue<Message> queue, Pump pump)
    {
        Message? message;
        bool more;
        lock (_lock)
        {
            if (!queue.TryDequeue(out message))
            {
                return;
            }

            more = queue.Count > 0;
            if (message.Epoch != _epoch || !_up)
            {
                message.Epoch = -1;
            }
        }

        if (more)
        {
            pump.Schedule();
        }

        if (message.Epoch < 0)
        {
            message.Fail();
            return;
        }

        if (ReferenceEquals(queue, _toPrimary))
        {
            message.Reply!();
            return;
        }

        if (message.Control is RemoteControl control)
        {
            Ldev? sVol = control.Kind == RemoteControlKind.Create ? _resolve(control.Pair.SVol) : null;
            long epoch = message.Epoch;
            _secondary.ReceiveRemoteControl(Peer, control, sVol, answer => Reply(message, epoch, () => message.ControlReply!(answer)));
            return;
        }

        RemoteUpdate update = message.Update;
        Interlocked.Increment(ref _updatesDelivered);
        Interlocked.Add(ref _blocksDelivered, update.Data.Count / TrackGeometry.BlockSize);
        UpdateReply landed = new(this, message);
        PairErrorCode refused = _secondary.ReceiveRemoteUpdate(update, landed, 0);
        if (refused != PairErrorCode.None)
        {
            Reply(message, message.Epoch, () => message.UpdateCompletion!.Completed(RemoteStatus.Refused, refused));
        }
    }

    // Queues an answer back to the primary (lost, like the message, if the link went down meanwhile).
    private void Reply(Message original, long epoch, Action deliver)
    {
        Message reply = new() { Reply = deliver, OnLost = original.Fail, Epoch = epoch };
        bool schedule;
        lock (_lock)
        {
            if (epoch != _epoch || !_up)
            {
                schedule = false;
                reply.Epoch = -1;
            }
            else
            {
                _toPrimary.Enqueue(reply);
                schedule = _toPrimary.Count == 1;
            }
        }

        if (reply.Epoch < 0)
        {
            reply.Fail();
        }
        else if (schedule)
        {
            _back.Schedule();
        }
    }

    private sealed class Message
    {
        private int _failed;

        public long Epoch { get; set; }

        public RemoteUpdate Update { get; init; }

        public IRemoteUpdateCompletion? UpdateCompletion { get; init; }

        public RemoteControl? Control { get; init; }

        public Action<RemoteControlReply>? ControlReply { get; init; }

        public Action? Reply { get; init; }

        public Action? OnLost { get; init; }

        // The sender learns LINK DOWN, once.
        public void Fail()
        {
            if (Interlocked.Exchange(ref _failed, 1) != 0)
            {
                return;
            }

            if (OnLost is not null)
            {
                OnLost();
            }
            else if (UpdateCompletion is not null)
            {
                UpdateCompletion.Completed(RemoteStatus.LinkDown, PairErrorCode.LinkDown);
            }
            else
            {
                ControlReply?.Invoke(RemoteControlReply.LinkDown("the remote-copy link went down"));
            }
        }
    }

    private sealed class Pump(ScheduledRemotePath path, Queue<Message> queue) : IWorkItem
    {
        public void Schedule()
        {
            path._scheduler.Schedule(this);
        }

        public void Execute()
        {
            path.DeliverNext(queue, this);
        }
    }

    // The secondary's answer to one update copy: the S-VOL (and its cascades) have it, or it did not land.
    private sealed class UpdateReply(ScheduledRemotePath path, Message message) : IBlockCommandCompletion
    {
        public void Complete(in BlockCommand command, MediaStatus status)
        {
            RemoteStatus result = status == MediaStatus.Good ? RemoteStatus.Good : RemoteStatus.Refused;
            path.Reply(message, message.Epoch, () => message.UpdateCompletion!.Completed(result, result == RemoteStatus.Good ? PairErrorCode.None : PairErrorCode.SuspendedByError));
        }
    }
}
