// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.IO.Pipelines;
using Controller.Addressing;
using Controller.Target.Scsi;
using Controller.Wire;
using Controller.Wire.Els;
using Controller.Wire.Transport;
using Microsoft.Extensions.Logging;

namespace Controller.Target;

/// <summary>
/// One FCIP connection to the target: its exchange table (by OX_ID), its outstanding count and stop, and its send
/// queue; the login state of its initiator port is its <see cref="PortLogins"/>, aborts and task management its
/// <see cref="TaskManager"/>. Frames are handled one at a time on the connection's reader; responses are sent by its
/// outbox from whichever thread completes them.
/// </summary>
/// <remarks>
/// One initiator port per connection: the S_ID of the first PLOGI. It may log in to several target ports of the
/// controller over the same connection (frames are routed by D_ID), as over one FCIP link.
/// </remarks>
public sealed class TargetConnection : IFcFrameHandler, IFcipSpecialFrameHandler
{
    /// <summary>The controller's FC Fabric Entity WWN in the FCIP Special Frame: the node name its PLOGI accepts carry.</summary>
    public static readonly ulong ControllerFabricName = ElsPayload.PortNameFor(default) & ~0xFFFFFFUL;

    private readonly ControllerFrontEnd _frontEnd;
    private readonly IDuplexPipe _pipe;
    private readonly FrameOutbox _outbox;
    private readonly FcipFrameReader _reader;
    private readonly ExchangePool _pool;
    private readonly PortLogins _logins;
    private readonly TaskManager _taskManager;

    // The outstanding commands by OX_ID, the reader's. A command leaves it by its exchange's state word, which the
    // writer clears just before the FCP_RSP goes out (so the reader sees the OX_ID free once the initiator may reuse
    // it) and an abort clears when it claims the command.
    private readonly ExchangeTable _exchanges;
    private int _outstanding;

    // The stop (BeginStop): set once, with a full fence, then the count above is read; a command is counted
    // with a full fence before the flag is read (OnCommand). So either the command sees the flag and is refused,
    // or the stopper sees it counted and waits for its answer: none slips in after the drain is declared.
    private int _stopping;
    private int _answeredWhileStopping;
    private int _refusedWhileStopping;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Bounded resources (docs/controllerd.md): the send-queue budget gates the reader; the watchdog's timeouts
    // end the connection through Abort, which cancels the reader and a stuck flush.
    private readonly ConnectionWatchdog _watchdog;
    private readonly CancellationTokenSource _closing = new();
    private string? _abortReason;

    internal TargetConnection(ControllerFrontEnd frontEnd, IDuplexPipe pipe, string peer, IFrameTap? tap)
    {
        _frontEnd = frontEnd;
        _pipe = pipe;
        Peer = peer;
        PeerGate = new RemoteCopy.RemoteCopyPeerGate(frontEnd.Options, peer);
        ConnectionLimits limits = frontEnd.Options.Limits;
        _watchdog = new ConnectionWatchdog(frontEnd.Options.Time, limits, () => Outstanding, Abort);
        SendQueue = new ConnectionSendQueue(frontEnd.SendBudget, limits.SendQueueLimit, frontEnd.Options.MaxTransferBytes, _watchdog, () => Volatile.Read(ref _stopping) != 0, () => Volatile.Read(ref _abortReason) is not null, frontEnd.ConnectionLogger, peer);

        // A send side that failed cannot answer anything more: the connection ends (its reader would otherwise go on
        // starting commands whose answers are dropped).
        _outbox = new FrameOutbox(
            pipe.Output,
            tap,
            reason =>
            {
                ConnectionLog.SendSideClosed(Logger, Peer, reason);
                Abort("nothing can be sent any more (" + reason + ")");
            },
            SendQueue,
            new ScheduledSend(frontEnd.Subsystem.Scheduler).Schedule);
        _reader = new FcipFrameReader(pipe.Input, this, tap, _outbox, SendQueue);
        _pool = new ExchangePool(() => new ScsiExchange(this));
        _exchanges = new ExchangeTable(frontEnd.Options.MaxExchangesPerConnection);
        _logins = new PortLogins(this, frontEnd, _outbox);
        _taskManager = new TaskManager(this, frontEnd, _exchanges, _outbox);
    }

    /// <summary>Gets the peer's name (address), for logs.</summary>
    public string Peer { get; }

    /// <summary>
    /// Gets whether the initiator on this connection is an admitted remote-copy peer (a primary's path): configured,
    /// from its configured address, authenticated when it has a key (docs/remote-copy.md, "Peer authentication").
    /// </summary>
    public bool IsRemoteCopyPeer => _logins.InitiatorId is PortId initiator && PeerGate.Admits(initiator);

    /// <summary>Gets the remote-copy peer admission of this connection.</summary>
    internal RemoteCopy.RemoteCopyPeerGate PeerGate { get; }

    /// <summary>Gets the commands outstanding on this connection.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Gets the commands answered (FCP_RSP handed to the sender) since <see cref="BeginStop"/>.</summary>
    public int AnsweredWhileStopping => Volatile.Read(ref _answeredWhileStopping);

    /// <summary>Gets the new commands refused (NOT READY, target port unavailable) since <see cref="BeginStop"/>; final once <see cref="RunAsync"/> has ended.</summary>
    public int RefusedWhileStopping => Volatile.Read(ref _refusedWhileStopping);

    /// <summary>Gets a task that completes when no command is outstanding after <see cref="BeginStop"/>.</summary>
    public Task Drained => _drained.Task;

    /// <summary>Gets the answer bytes queued for sending on this connection (read data not yet sent).</summary>
    public long QueuedAnswerBytes => SendQueue.Queued;

    internal ConnectionSendQueue SendQueue { get; }

    internal ConnectionWatchdog Watchdog => _watchdog;

    /// <summary>Gets why the connection was closed by the controller (a timeout, a failed send), or null.</summary>
    internal string? AbortReason => Volatile.Read(ref _abortReason);

    internal ExchangeDataBuffers Buffers => _frontEnd.Buffers;

    /// <summary>Gets how many exchanges this connection has made (each is reused, never dropped).</summary>
    internal int ExchangesCreated => _pool.Created;

    /// <summary>Gets the entries of the OX_ID table (sized to the outstanding limit).</summary>
    internal int ExchangeTableCapacity => _exchanges.Capacity;

    /// <summary>
    /// Starts a graceful stop: from now on a new FCP_CMND is answered CHECK CONDITION, NOT READY (02/04/0C,
    /// target port unavailable) instead of being started, while the commands already started run to their
    /// answers (write data still arrives: the reader keeps reading). <see cref="Drained"/> completes when the last
    /// is answered; then <see cref="EndReading"/> closes the connection after its last answers are sent.
    /// </summary>
    /// <returns>The commands outstanding when the stop began.</returns>
    public int BeginStop()
    {
        // Full fence, then the count: see _stopping.
        Interlocked.Exchange(ref _stopping, 1);

        // A reader held back by the send queue reads again: new commands are refused now, with no data.
        SendQueue.Wake();
        int outstanding = Volatile.Read(ref _outstanding);
        if (outstanding == 0)
        {
            _drained.TrySetResult();
        }

        return outstanding;
    }

    /// <summary>
    /// Ends the reader of a stopping connection: frames already received are still handled (a command among them
    /// is refused, so it is answered), then <see cref="RunAsync"/> sends what is queued and returns.
    /// </summary>
    public void EndReading()
    {
        _pipe.Input.CancelPendingRead();
    }

    /// <summary>Gets the frames received so far (read from another thread it may be a moment stale): a stop watches it to see the host go quiet.</summary>
    public long FramesReceived => _reader.FramesRead;

    /// <summary>Describes the commands still outstanding (at most <paramref name="limit"/>), for the log of a stop that timed out.</summary>
    /// <param name="limit">How many to name.</param>
    /// <returns>One text per command: OX_ID, operation code and phase.</returns>
    public List<string> DescribeOutstanding(int limit)
    {
        // Read from another thread for a log line only: a field may be a moment stale. In OX_ID order.
        List<ScsiExchange> held = [];
        ScsiExchange[] all = _pool.All(out int count);
        for (int i = 0; i < count; i++)
        {
            if (ScsiExchange.WasInTable(all[i].State))
            {
                held.Add(all[i]);
            }
        }

        held.Sort(static (x, y) => x.OriginatorExchangeId.CompareTo(y.OriginatorExchangeId));
        List<string> described = [];
        for (int i = 0; i < held.Count && described.Count < limit; i++)
        {
            ScsiExchange exchange = held[i];
            described.Add("OX_ID 0x" + exchange.OriginatorExchangeId.ToString("X4", CultureInfo.InvariantCulture) + " opcode 0x" + Hex2(exchange.Cdb[0]) + " LUN " + exchange.Lun + " (" + exchange.Phase + ")");
        }

        return described;
    }

    /// <summary>Serves the connection until the peer closes it, it breaks the protocol, or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="cancellationToken">Stops the connection.</param>
    /// <returns>Why it ended (null: the peer closed it cleanly).</returns>
    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        string? reason;
        using (cancellationToken.UnsafeRegister(static state => ((TargetConnection)state!).CancelReading(), this))
        {
            reason = await _reader.RunAsync(_closing.Token).ConfigureAwait(false);
        }

        _watchdog.Dispose();
        reason = Volatile.Read(ref _abortReason) ?? reason;
        bool stopping = Volatile.Read(ref _stopping) != 0;
        if (reason is not null)
        {
            ConnectionLog.Closed(Logger, Peer, reason);
        }
        else if (stopping)
        {
            ConnectionLog.ClosedByStop(Logger, Peer);
        }
        else
        {
            ConnectionLog.ClosedByInitiator(Logger, Peer);
        }
        _logins.OnConnectionEnded();
        if (IsRemoteCopyPeer)
        {
            // The remote-copy link from a primary is gone: its pairs here are suspended (PSUE) as soon as we know.
            _frontEnd.Subsystem.Pairs.OnRemotePeerLost((int)_logins.InitiatorId.GetValueOrDefault().Value);
        }

        // Commands still on an MP complete on media (nothing acknowledged is lost); their responses have
        // nowhere to go once the connection is gone. A stopping controller has waited for them (Drained), so the
        // answers still queued are sent before the writer closes.
        await _pipe.Input.CompleteAsync().ConfigureAwait(false);
        if (stopping)
        {
            await _outbox.DrainAndCompleteAsync().ConfigureAwait(false);
        }
        else
        {
            await _outbox.CompleteAsync().ConfigureAwait(false);
        }

        ReleaseHeld();
        return reason;
    }

    /// <summary>Closes the connection at once with a reason (a timeout ran out): the reader stops and a stuck send is cancelled.</summary>
    /// <param name="reason">Why, for the log.</param>
    internal void Abort(string reason)
    {
        if (Interlocked.CompareExchange(ref _abortReason, reason, null) is null)
        {
            _outbox.Abort();
            CancelReading();
        }
    }

    /// <inheritdoc/>
    public bool OnFrame(in FcFrameHeader header, ReadOnlySpan<byte> payload, out string? closeReason)
    {
        closeReason = null;
        switch (header.RoutingControl)
        {
            case FcRoutingControl.ElsRequest when header.Type == FcFrameHeader.TypeEls:
                _logins.OnElsRequest(header, payload);
                break;
            case FcRoutingControl.ElsReply when header.Type == FcFrameHeader.TypeEls:
                // The initiator's LS_ACC to a LOGO we sent: nothing more to do.
                break;
            case FcRoutingControl.Command when header.Type == FcFrameHeader.TypeFcp:
                OnCommand(header, payload);
                break;
            case FcRoutingControl.Data when header.Type == FcFrameHeader.TypeFcp:
                OnData(header, payload);
                break;
            case FcRoutingControl.BasicAbort when header.Type == FcFrameHeader.TypeBasicLinkService:
                _taskManager.OnAbortSequence(header);
                break;
            default:
                ConnectionLog.FrameDiscarded(Logger, Peer, header.RoutingControl, header.Type, header.SourceId);
                break;
        }

        return true;
    }

    /// <inheritdoc/>
    public void OnSpecialFrame(ReadOnlySpan<byte> specialFrame)
    {
        // RFC 3821 section 7: the acceptor echoes the FSF; it names this controller (its node name) as the destination
        // entity, and sets Ch when the originator had named another one. The originator decides what to do with a
        // changed echo (RFC: it closes the connection); this target serves the connection either way.
        byte[] echo = new byte[FcipSpecialFrame.Length];
        bool changed = FcipSpecialFrame.WriteEcho(specialFrame, ControllerFabricName, echo);
        ConnectionLog.SpecialFrameEchoed(Logger, Peer, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(specialFrame[FcipSpecialFrame.SourceWorldWideNameOffset..]), changed ? " with this controller's WWN as the destination (Ch set)" : " unchanged");
        _outbox.Post(new RawBytesSource(echo));
    }

    internal void Post(ScsiExchange exchange)
    {
        _outbox.Post(exchange);
    }

    /// <summary>Frees the exchange's OX_ID slot. Called by the writer before it sends the FCP_RSP.</summary>
    /// <returns>False when an abort claimed the command first: it freed the slot, and nothing may be sent.</returns>
    internal bool Release(ScsiExchange exchange)
    {
        long before = exchange.LeaveTable();
        if (ScsiExchange.WasAborted(before))
        {
            return false;
        }

        if (ScsiExchange.WasInTable(before))
        {
            // Out of the OX_ID table with the state word (the reader's table sees the entry dead).
            if (Volatile.Read(ref _stopping) != 0)
            {
                // Counted for the stop's log line: how many commands the stop waited for.
                Interlocked.Increment(ref _answeredWhileStopping);
            }

            LeaveOutstanding();
        }

        return true;
    }

    /// <summary>
    /// Aborts every live command of this connection that <paramref name="match"/> selects (<see cref="TaskManager"/>,
    /// an implicit logout in <see cref="PortLogins"/>). Safe from any thread.
    /// </summary>
    /// <param name="match">Which commands.</param>
    /// <param name="nexuses">When given, receives the I_T nexus of each command aborted.</param>
    /// <returns>How many were aborted.</returns>
    internal int AbortTasks(Func<ScsiExchange, bool> match, List<long>? nexuses)
    {
        // Every exchange of the connection, not the OX_ID table (the reader's alone): one in the table is live.
        int aborted = 0;
        ScsiExchange[] all = _pool.All(out int count);
        for (int i = 0; i < count; i++)
        {
            ScsiExchange exchange = all[i];

            // The state first, then the fields: if the command ends and the object is reused meanwhile, the
            // generation in the state no longer matches and the claim fails.
            long seen = exchange.State;
            if (!ScsiExchange.IsLive(seen) || !match(exchange))
            {
                continue;
            }

            long nexus = LogicalUnitReservations.Nexus(exchange.InitiatorId, exchange.TargetId);
            if (TryAbort(exchange, seen))
            {
                aborted++;
                nexuses?.Add(nexus);
            }
        }

        return aborted;
    }

    /// <summary>
    /// Claims one command for an abort (<see cref="ScsiExchange.TryClaimForAbort"/>) if its state is still
    /// <paramref name="seen"/>: it stops counting as outstanding, and one parked for write data is handed to the writer to be freed.
    /// </summary>
    /// <param name="exchange">The command's exchange.</param>
    /// <param name="seen">Its state word as read before its fields were.</param>
    /// <returns>False when it had ended (or another abort claimed it) meanwhile.</returns>
    internal bool TryAbort(ScsiExchange exchange, long seen)
    {
        // The claim takes the command out of the OX_ID table too (its state word's in-table bit).
        if (!exchange.TryClaimForAbort(seen, out bool reclaimed))
        {
            return false;
        }

        LeaveOutstanding();
        if (reclaimed)
        {
            // It was parked for write data, which nobody else hands on: the writer frees it (after any FCP_XFER_RDY it is still writing).
            Post(exchange);
        }

        return true;
    }

    internal void Return(ScsiExchange exchange)
    {
        _pool.Return(exchange);
    }

    /// <summary>All the write data of a command has arrived (or it needs none): the command set carries it out.</summary>
    internal void OnDataComplete(ScsiExchange exchange)
    {
        _frontEnd.Commands.OnDataOut(exchange);
    }

    /// <summary>Runs <paramref name="answer"/> once the Copy Management Table's changed state is kept (docs/durability.md): before the answer to a control-plane command leaves.</summary>
    internal void Commit(Action answer)
    {
        _frontEnd.Subsystem.Pairs.CommitStateThen(answer);
    }

    /// <summary>
    /// Finds this connection's process login to a target port (PLOGI and PRLI done), or null. On the frame reader's
    /// thread only, like every use of the login table (commands and their data-out are decoded there).
    /// </summary>
    internal Login? FindProcessLogin(PortId portId)
    {
        return _logins.FindProcessLogin(portId);
    }

    /// <summary>Gets the connection's logger (<see cref="ConnectionLog"/>'s events, each line starting with <see cref="Peer"/>).</summary>
    internal ILogger Logger => _frontEnd.ConnectionLogger;

    private void CancelReading()
    {
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Never disposed: kept for a timer that fires late.
        }
    }

    // After the reader and the writer have ended: what the connection still holds goes back. Exchanges waiting
    // for write data will never get it; answers in the pipe were never flushed. (Exchanges still on an MP are
    // discarded by the completed outbox when they are posted.)
    private void ReleaseHeld()
    {
        ScsiExchange[] all = _pool.All(out int count);
        for (int i = 0; i < count; i++)
        {
            ScsiExchange exchange = all[i];
            if (ScsiExchange.WasInTable(exchange.State) && exchange.Phase == ExchangePhase.ReceivingData)
            {
                exchange.Discard();
            }
        }

        SendQueue.ReleaseUnflushed();
        _frontEnd.Buffers.OnConnectionClosed(SendQueue.Peak);
    }

    private void LeaveOutstanding()
    {
        // The last answer of a stopping connection lets the stop go on (Drained).
        if (Interlocked.Decrement(ref _outstanding) == 0 && Volatile.Read(ref _stopping) != 0)
        {
            _drained.TrySetResult();
        }
    }

    private static string Hex2(byte value)
    {
        return value.ToString("X2", CultureInfo.InvariantCulture);
    }

    private void OnCommand(in FcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        Login? login = _logins.FindForCommand(header);
        if (login is null)
        {
            _logins.SendLogoutToUnknownPort(header);
            return;
        }

        if (!FcpCommand.TryRead(payload, out FcpCommand command, out string? reason))
        {
            ConnectionLog.CommandRefused(Logger, Peer, header.OriginatorExchangeId, reason ?? string.Empty);
            Refuse(header, new FcpResponse(FcpResponse.Good, 0, false, false, null) { ResponseCode = FcpResponse.CommandFieldsInvalid });
            return;
        }

        if (command.TaskManagement != 0)
        {
            Refuse(header, new FcpResponse(FcpResponse.Good, 0, false, false, null) { ResponseCode = _taskManager.OnTaskManagement(header, login, command) });
            return;
        }

        if (_exchanges.Find(header.OriginatorExchangeId) is ScsiExchange overlapped)
        {
            int aborted = _taskManager.AbortOverlapped(header, overlapped, command.Lun);
            ConnectionLog.OverlappedCommand(Logger, Peer, header.OriginatorExchangeId, aborted);
            Refuse(header, new FcpResponse(FcpResponse.CheckCondition, command.DataLength, command.DataLength > 0, false, ScsiSense.OverlappedCommands));
            return;
        }

        int limit = IsRemoteCopyPeer ? _frontEnd.Options.MaxExchangesPerRemoteCopyConnection : _frontEnd.Options.MaxExchangesPerConnection;
        if (Volatile.Read(ref _outstanding) >= limit)
        {
            Refuse(header, new FcpResponse(FcpResponse.TaskSetFull, command.DataLength, command.DataLength > 0, false, null));
            return;
        }

        // Counted before the stop flag is read (full fence): see _stopping.
        Interlocked.Increment(ref _outstanding);
        if (Volatile.Read(ref _stopping) != 0)
        {
            LeaveOutstanding();
            if (++_refusedWhileStopping == 1)
            {
                // Once per connection: a host under load may send thousands while the stop waits.
                ConnectionLog.CommandWhileStopping(Logger, Peer, header.OriginatorExchangeId);
            }

            Refuse(header, new FcpResponse(FcpResponse.CheckCondition, command.DataLength, command.DataLength > 0, false, ScsiSense.TargetPortUnavailable));
            return;
        }

        ScsiExchange exchange = _pool.Get();
        exchange.Start(header, command, login);
        exchange.InTable = true;
        _exchanges.EnsureLimit(limit);
        _exchanges.Add(exchange);
        _frontEnd.Commands.Execute(exchange);
    }

    private void OnData(in FcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        ScsiExchange? exchange = _exchanges.Find(header.OriginatorExchangeId);
        if (exchange is null || exchange.InitiatorId != header.SourceId || !exchange.TryBeginData())
        {
            if (exchange is not null && exchange.InitiatorId == header.SourceId && exchange.Phase == ExchangePhase.TransferReady)
            {
                // The exchange still sits in the send queue for its FCP_XFER_RDY (the writer moves it to
                // ReceivingData when it takes it out): this data was not asked for yet. Answering it now would post
                // the exchange a second time while it is queued, which breaks the intrusive send queue and returns
                // the exchange to the pool twice. Class 3 discards it; the command waits for the data it asks for.
                ConnectionLog.DataBeforeTransferReady(Logger, Peer, header.OriginatorExchangeId, header.SourceId);
                return;
            }

            // Class 3: a frame for an exchange that does not exist (or expects no data, or was aborted) is
            // discarded. While the controller stops, that is the first-burst data of the commands it refuses: one
            // line said so already.
            if (Volatile.Read(ref _stopping) != 0)
            {
                return;
            }

            ConnectionLog.DataForUnknownExchange(Logger, Peer, header.OriginatorExchangeId, header.SourceId);
            return;
        }

        // The exchange is the reader's now (DataArriving): an abort meanwhile only marks it, and the moves below
        // see the mark and hand it to the writer to be freed, so no aborted write reaches the media.
        long offset = header.Parameter;
        if (offset != exchange.DataReceived || offset + payload.Length > exchange.DataLength)
        {
            ConnectionLog.DataOutOfOrder(Logger, Peer, header.OriginatorExchangeId, offset, payload.Length, exchange.DataReceived, exchange.DataLength);
            exchange.Answer(FcpResponse.CheckCondition, ScsiSense.DataPhaseError);
            exchange.Respond();
            return;
        }

        payload.CopyTo(exchange.Data.AsSpan((int)offset));
        exchange.DataReceived += payload.Length;
        bool complete = exchange.DataReceived == exchange.DataLength;
        if (!exchange.TryMoveUnlessAborted(complete ? ExchangePhase.Submitted : ExchangePhase.ReceivingData))
        {
            Post(exchange);
            return;
        }

        if (complete)
        {
            OnDataComplete(exchange);
        }
    }

    private void Refuse(in FcFrameHeader header, FcpResponse response)
    {
        ScsiExchange exchange = _pool.Get();
        exchange.StartRefusal(header);
        exchange.Response = response;
        exchange.MoveTo(ExchangePhase.Responding);
        _outbox.Post(exchange);
    }
}
