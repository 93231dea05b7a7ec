// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Controller.Wire;
using Controller.Wire.Els;
using Controller.Wire.Transport;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Initiator;

/// <summary>
/// A host's initiator port on one connection (FCIP over TCP, or in-process pipes): it logs in to target ports
/// (PLOGI, PRLI) and runs SCSI commands as FCP exchanges, many outstanding at once, each with its own OX_ID.
/// </summary>
public sealed class InitiatorPort : IFcFrameHandler, IAsyncDisposable
{
    // The OX_IDs a port gives commands (0x0000-0xEFFF): the pool keeps as many exchanges as can be outstanding, so
    // one returned is never dropped and a steady queue depth allocates none after its first commands.
    private const int MaxCommandExchanges = 0xF000;

    private readonly IDuplexPipe _pipe;
    private readonly FrameOutbox _outbox;
    private readonly FcipFrameReader _reader;
    private readonly InitiatorExchange?[] _exchanges = new InitiatorExchange?[ushort.MaxValue + 1];
    private readonly ObjectPool<InitiatorExchange> _pool;
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource<byte[]>> _elsPending = new();
    private readonly ConcurrentDictionary<Addressing.PortId, bool> _firstBurst = new();
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource<bool>> _abortsPending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<string?> _readLoop;
    private readonly IDisposable? _owned;
    private readonly Addressing.PortId _source;
    private int _nextExchangeId;
    private int _nextElsId = 0xF000;
    private string? _closedReason;

    /// <summary>Initializes an initiator port on a connection and starts reading from it.</summary>
    /// <param name="pipe">The connection.</param>
    /// <param name="portId">This port's 24-bit port ID (its S_ID).</param>
    /// <param name="tap">Optional: sees every frame both ways.</param>
    public InitiatorPort(IDuplexPipe pipe, int portId, IFrameTap? tap = null)
        : this(pipe, portId, tap, null)
    {
    }

    private InitiatorPort(IDuplexPipe pipe, int portId, IFrameTap? tap, IDisposable? owned)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        if (portId is <= 0 or > FcFrameHeader.MaxPortId)
        {
            throw new ArgumentOutOfRangeException(nameof(portId), portId, "a port ID is 24 bits and not 0");
        }

        _pipe = pipe;
        _owned = owned;
        PortId = portId;
        _source = new Addressing.PortId((uint)portId);
        _pool = new DefaultObjectPool<InitiatorExchange>(new ExchangePolicy(this), MaxCommandExchanges);
        _outbox = new FrameOutbox(pipe.Output, tap, reason => Close("send failed: " + reason));
        _reader = new FcipFrameReader(pipe.Input, this, tap, _outbox);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Gets this port's port ID.</summary>
    public int PortId { get; }

    // This port's ID as its frames carry it (S_ID).
    internal Addressing.PortId Source => _source;

    /// <summary>Gets why the connection closed, or null while it is open.</summary>
    public string? ClosedReason => Volatile.Read(ref _closedReason);

    /// <summary>Connects over TCP to a controller's FCIP listener.</summary>
    /// <param name="endPoint">The listener, e.g. 127.0.0.1:3225.</param>
    /// <param name="portId">This port's port ID.</param>
    /// <param name="tap">Optional: sees every frame both ways.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connected port.</returns>
    public static async Task<InitiatorPort> ConnectAsync(IPEndPoint endPoint, int portId, IFrameTap? tap = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        Socket socket = new(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        NetworkStream stream = new(socket, ownsSocket: true);
        return new InitiatorPort(DuplexPipe.OverStream(stream), portId, tap, stream);
    }

    /// <summary>Logs in to a target port: PLOGI, then PRLI for FCP.</summary>
    /// <param name="targetId">The target port's ID, e.g. 0x400104.</param>
    /// <param name="firstBurst">Ask to send write data without waiting for FCP_XFER_RDY (the target may refuse).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>Whether first burst was granted.</returns>
    public async Task<bool> LoginAsync(int targetId, bool firstBurst = false, CancellationToken cancellationToken = default)
    {
        byte[] plogi = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, ElsPayload.PortNameFor(_source), ElsPayload.PortNameFor(_source) & ~0xFFFFFFUL);
        byte[] reply = await SendElsAsync(targetId, plogi, cancellationToken).ConfigureAwait(false);
        if (reply[0] != ElsCommand.LinkServiceAccept)
        {
            throw new InitiatorException("PLOGI to 0x" + targetId.ToString("X6", CultureInfo.InvariantCulture) + " was rejected (LS_RJT reason 0x" + (reply.Length > 5 ? reply[5] : 0).ToString("X2", CultureInfo.InvariantCulture) + ")");
        }

        byte[] prli = new byte[ElsPayload.ProcessLoginLength];
        ElsPayload.WriteProcessLogin(prli, ElsCommand.ProcessLogin, ElsPayload.InitiatorFunction | ElsPayload.ReadTransferReadyDisabled | (firstBurst ? ElsPayload.WriteTransferReadyDisabled : 0));
        reply = await SendElsAsync(targetId, prli, cancellationToken).ConfigureAwait(false);
        if (reply[0] != ElsCommand.LinkServiceAccept)
        {
            throw new InitiatorException("PRLI to 0x" + targetId.ToString("X6", CultureInfo.InvariantCulture) + " was rejected");
        }

        if (!ElsPayload.TryReadProcessLogin(reply, out int granted, out string? reason))
        {
            throw new InitiatorException("PRLI accept from 0x" + targetId.ToString("X6", CultureInfo.InvariantCulture) + " is malformed: " + reason);
        }

        bool burst = firstBurst && (granted & ElsPayload.WriteTransferReadyDisabled) != 0;
        _firstBurst[Target(targetId)] = burst;
        return burst;
    }

    /// <summary>Sends a raw ELS request and waits for its reply payload (LS_ACC or LS_RJT).</summary>
    /// <param name="targetId">The destination port.</param>
    /// <param name="payload">The ELS payload (command code first).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The reply payload.</returns>
    public async Task<byte[]> SendElsAsync(int targetId, byte[] payload, CancellationToken cancellationToken = default)
    {
        ushort exchangeId = (ushort)(0xF000 | (Interlocked.Increment(ref _nextElsId) & 0x0FFF));
        TaskCompletionSource<byte[]> reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _elsPending[exchangeId] = reply;
        FcFrameHeader header = new()
        {
            RoutingControl = FcRoutingControl.ElsRequest,
            DestinationId = Target(targetId),
            SourceId = _source,
            Type = FcFrameHeader.TypeEls,
            FrameControl = FcFrameControl.ElsRequest,
            OriginatorExchangeId = exchangeId,
            ResponderExchangeId = 0xFFFF,
        };
        ThrowIfClosed();
        _outbox.Post(new SingleFrameSource(header, payload));
        using (cancellationToken.Register(() => reply.TrySetCanceled(cancellationToken)))
        {
            return await reply.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Sends a raw FC frame as it is (for tests of the target's handling of bad input).</summary>
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The payload.</param>
    public void SendRawFrame(in FcFrameHeader header, byte[] payload)
    {
        ThrowIfClosed();
        _outbox.Post(new SingleFrameSource(header, payload));
    }

    /// <summary>
    /// Sends a task management request (FCP_CMND with one FCP_CNTL flag, <see cref="FcpTaskManagement"/>) and
    /// returns its answer: <see cref="ScsiResult.ResponseCode"/> 00 done, 04 not supported, 09 no such logical unit.
    /// </summary>
    /// <param name="targetId">The target port.</param>
    /// <param name="lun">The logical unit (ignored by TARGET RESET).</param>
    /// <param name="flags">The function.</param>
    /// <returns>The answer.</returns>
    public ValueTask<ScsiResult> TaskManagementAsync(int targetId, ushort lun, byte flags)
    {
        if (flags == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(flags), flags, "a task management request names a function");
        }

        return Start(targetId, lun, new byte[16], out _, default, default, flags);
    }

    /// <summary>Starts a command as <see cref="ExecuteAsync"/> does and tells its OX_ID, which <see cref="AbortExchangeAsync"/> takes.</summary>
    /// <param name="targetId">The target port.</param>
    /// <param name="lun">The LUN.</param>
    /// <param name="cdb">The CDB.</param>
    /// <param name="exchangeId">The command's OX_ID.</param>
    /// <param name="dataOut">Write data, if any.</param>
    /// <param name="dataIn">Where read data goes, if any.</param>
    /// <returns>The command's result.</returns>
    public ValueTask<ScsiResult> Start(int targetId, ushort lun, ReadOnlySpan<byte> cdb, out ushort exchangeId, ReadOnlyMemory<byte> dataOut = default, Memory<byte> dataIn = default)
    {
        return Start(targetId, lun, cdb, out exchangeId, dataOut, dataIn, 0);
    }

    /// <summary>
    /// Aborts an exchange with ABTS (FC-FS basic link service), as an initiator gives up a command that timed out.
    /// BA_ACC: the target dropped it (no answer or data follows; write data not yet applied never is) and the command
    /// here fails with "aborted"; BA_RJT: the target has no such exchange open (already answered, or never seen).
    /// </summary>
    /// <param name="targetId">The target port.</param>
    /// <param name="exchangeId">The exchange's OX_ID.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>True for BA_ACC, false for BA_RJT.</returns>
    public async Task<bool> AbortExchangeAsync(int targetId, ushort exchangeId, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<bool> reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_abortsPending.TryAdd(exchangeId, reply))
        {
            throw new InvalidOperationException("an ABTS for OX_ID 0x" + exchangeId.ToString("X4", CultureInfo.InvariantCulture) + " is already waiting for its reply");
        }

        FcFrameHeader header = new()
        {
            RoutingControl = FcRoutingControl.BasicAbort,
            DestinationId = Target(targetId),
            SourceId = _source,
            Type = FcFrameHeader.TypeBasicLinkService,
            FrameControl = FcFrameControl.BasicAbort,
            OriginatorExchangeId = exchangeId,
            ResponderExchangeId = 0xFFFF,
        };
        ThrowIfClosed();
        _outbox.Post(new SingleFrameSource(header, []));
        bool accepted;
        using (cancellationToken.Register(() => reply.TrySetCanceled(cancellationToken)))
        {
            try
            {
                accepted = await reply.Task.ConfigureAwait(false);
            }
            finally
            {
                _abortsPending.TryRemove(new KeyValuePair<ushort, TaskCompletionSource<bool>>(exchangeId, reply));
            }
        }

        if (accepted && Volatile.Read(ref _exchanges[exchangeId]) is InitiatorExchange exchange && TryRemove(exchangeId, exchange))
        {
            exchange.Fail(new InitiatorException("aborted: the target accepted the ABTS for OX_ID 0x" + exchangeId.ToString("X4", CultureInfo.InvariantCulture)));
        }

        return accepted;
    }

    /// <summary>
    /// Runs one SCSI command: FCP_CMND, then the write data (after FCP_XFER_RDY, or at once with first burst),
    /// or the read data, and the FCP_RSP. Many may be outstanding at once.
    /// </summary>
    /// <param name="targetId">The target port (logged in).</param>
    /// <param name="lun">The LUN.</param>
    /// <param name="cdb">The CDB (6 to 16 bytes).</param>
    /// <param name="dataOut">Write data (its length is FCP_DL), or empty.</param>
    /// <param name="dataIn">Where read data goes (its length is FCP_DL), or empty.</param>
    /// <returns>The result.</returns>
    public ValueTask<ScsiResult> ExecuteAsync(int targetId, ushort lun, ReadOnlySpan<byte> cdb, ReadOnlyMemory<byte> dataOut = default, Memory<byte> dataIn = default)
    {
        return Start(targetId, lun, cdb, out _, dataOut, dataIn, 0);
    }

    private ValueTask<ScsiResult> Start(int targetId, ushort lun, ReadOnlySpan<byte> cdb, out ushort exchangeId, ReadOnlyMemory<byte> dataOut, Memory<byte> dataIn, byte taskManagement)
    {
        if (!dataOut.IsEmpty && !dataIn.IsEmpty)
        {
            throw new ArgumentException("a command moves data one way: give dataOut or dataIn, not both");
        }

        ThrowIfClosed();
        Addressing.PortId target = Target(targetId);
        InitiatorExchange exchange = _pool.Get();
        exchange.Start(target, lun, cdb, dataOut, dataIn, _firstBurst.GetValueOrDefault(target), taskManagement);
        ClaimExchangeId(exchange);
        exchangeId = exchange.OriginatorExchangeId;
        ValueTask<ScsiResult> result = new(exchange, exchange.Version);
        _outbox.Post(exchange);
        if (Volatile.Read(ref _closedReason) is string reason && TryRemove(exchange.OriginatorExchangeId, exchange))
        {
            exchange.Fail(new InitiatorException("connection closed: " + reason));
        }

        return result;
    }

    /// <inheritdoc/>
    public bool OnFrame(in FcFrameHeader header, ReadOnlySpan<byte> payload, out string? closeReason)
    {
        closeReason = null;
        switch (header.RoutingControl)
        {
            case FcRoutingControl.TransferReady:
                OnTransferReady(header, payload);
                break;
            case FcRoutingControl.Data:
                OnDataIn(header, payload);
                break;
            case FcRoutingControl.Response:
                OnResponse(header, payload);
                break;
            case FcRoutingControl.ElsReply:
                if (_elsPending.TryRemove(header.OriginatorExchangeId, out TaskCompletionSource<byte[]>? reply))
                {
                    reply.TrySetResult(payload.ToArray());
                }

                break;
            case FcRoutingControl.BasicAccept or FcRoutingControl.BasicReject when header.Type == FcFrameHeader.TypeBasicLinkService:
                if (_abortsPending.TryGetValue(header.OriginatorExchangeId, out TaskCompletionSource<bool>? abort))
                {
                    abort.TrySetResult(header.RoutingControl == FcRoutingControl.BasicAccept);
                }

                break;
            case FcRoutingControl.ElsRequest when !payload.IsEmpty && payload[0] == ElsCommand.Logout:
                // The target logged us out (e.g. a command before login): acknowledge and fail what is outstanding there.
                _firstBurst.TryRemove(header.SourceId, out _);
                FailAll(header.SourceId, "logged out by target 0x" + header.SourceId.ToString("X6", CultureInfo.InvariantCulture));
                LoggedOut?.Invoke(header.SourceId);
                break;
            default:
                break;
        }

        return true;
    }

    /// <summary>Raised on the reader when a target port sends LOGO.</summary>
    public event Action<Addressing.PortId>? LoggedOut;

    /// <summary>Raised once when the connection closes (the peer closed it, a send failed, or it was disposed), with why; outstanding commands have failed by then.</summary>
    public event Action<string>? Closed;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Close("closed by the initiator");
        await _stop.CancelAsync().ConfigureAwait(false);
        await _outbox.CompleteAsync().ConfigureAwait(false);
        await _readLoop.ConfigureAwait(false);
        await _pipe.Input.CompleteAsync().ConfigureAwait(false);
        _owned?.Dispose();
        _stop.Dispose();
    }

    internal void Return(InitiatorExchange exchange)
    {
        _pool.Return(exchange);
    }

    private void ClaimExchangeId(InitiatorExchange exchange)
    {
        // OX_IDs 0x0000-0xEFFF for commands (0xF000 up are the ELS exchanges); skip the ones still in use.
        for (int attempt = 0; attempt < 0xF000; attempt++)
        {
            ushort id = (ushort)((uint)Interlocked.Increment(ref _nextExchangeId) % 0xF000);
            if (Interlocked.CompareExchange(ref _exchanges[id], exchange, null) is null)
            {
                exchange.OriginatorExchangeId = id;
                return;
            }
        }

        throw new InitiatorException("all 61,440 exchange IDs are in use");
    }

    private bool TryRemove(ushort id, InitiatorExchange exchange)
    {
        return Interlocked.CompareExchange(ref _exchanges[id], null, exchange) == exchange;
    }

    private void OnTransferReady(in FcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        InitiatorExchange? exchange = Volatile.Read(ref _exchanges[header.OriginatorExchangeId]);
        if (exchange is null || !FcpTransferReady.TryRead(payload, out FcpTransferReady ready) || ready.RelativeOffset + (long)ready.BurstLength > exchange.DataOut.Length)
        {
            return;
        }

        exchange.BurstOffset = (int)ready.RelativeOffset;
        exchange.BurstLength = (int)ready.BurstLength;
        exchange.State = ExchangeState.SendData;
        _outbox.Post(exchange);
    }

    private void OnDataIn(in FcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        InitiatorExchange? exchange = Volatile.Read(ref _exchanges[header.OriginatorExchangeId]);
        if (exchange is null || header.Parameter + (long)payload.Length > exchange.DataIn.Length)
        {
            return;
        }

        payload.CopyTo(exchange.DataIn.Span[(int)header.Parameter..]);
        exchange.DataInReceived += payload.Length;
    }

    private void OnResponse(in FcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        InitiatorExchange? exchange = Volatile.Read(ref _exchanges[header.OriginatorExchangeId]);
        if (exchange is null || !TryRemove(header.OriginatorExchangeId, exchange))
        {
            return;
        }

        if (!FcpResponse.TryRead(payload, out FcpResponse response, out string? reason))
        {
            exchange.Fail(new InitiatorException("malformed FCP_RSP: " + reason));
            return;
        }

        exchange.Complete(new ScsiResult(response.Status, response.Sense, response.Residual, response.ResponseCode, exchange.DataInReceived));
    }

    private async Task<string?> ReadLoopAsync()
    {
        string? reason = await _reader.RunAsync(_stop.Token).ConfigureAwait(false);
        Close(reason ?? "the target closed the connection");
        return reason;
    }

    private void Close(string reason)
    {
        if (Interlocked.CompareExchange(ref _closedReason, reason, null) is not null)
        {
            return;
        }

        _outbox.Close();
        FailAll(null, reason);
        foreach (KeyValuePair<ushort, TaskCompletionSource<byte[]>> pending in _elsPending)
        {
            pending.Value.TrySetException(new InitiatorException("connection closed: " + reason));
        }

        foreach (KeyValuePair<ushort, TaskCompletionSource<bool>> pending in _abortsPending)
        {
            pending.Value.TrySetException(new InitiatorException("connection closed: " + reason));
        }

        Closed?.Invoke(reason);
    }

    // The calls name target ports by number; a frame carries a PortId, which refuses a number over 24 bits here,
    // before anything is sent (the frame header can no longer be asked to write one).
    private static Addressing.PortId Target(int targetId)
    {
        return new Addressing.PortId((uint)targetId);
    }

    private void FailAll(Addressing.PortId? targetId, string reason)
    {
        for (int id = 0; id < _exchanges.Length; id++)
        {
            InitiatorExchange? exchange = Volatile.Read(ref _exchanges[id]);
            if (exchange is not null && (targetId is null || exchange.TargetId == targetId) && TryRemove((ushort)id, exchange))
            {
                exchange.Fail(new InitiatorException(reason));
            }
        }
    }

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _closedReason) is string reason)
        {
            throw new InitiatorException("connection closed: " + reason);
        }
    }

    // Exchanges are made for this port and reset by their own Start, so a returned one is always kept.
    private sealed class ExchangePolicy(InitiatorPort port) : PooledObjectPolicy<InitiatorExchange>
    {
        public override InitiatorExchange Create()
        {
            return new InitiatorExchange(port);
        }

        public override bool Return(InitiatorExchange obj)
        {
            return true;
        }
    }
}
