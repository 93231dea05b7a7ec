// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Initiator;
using Controller.Wire;
using Controller.Wire.CopyManagement;
using Controller.Wire.RemoteCopy;
using Controller.Wire.Transport;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Target.RemoteCopy;

/// <summary>
/// The remote-copy link as real FC traffic (docs/architecture.md, "The remote-copy link"): the primary's initiator port connects to its
/// secondary (TCP to the peer's FCIP listener, or an in-process pipe to the peer's port front), logs in to each of
/// the peer's target ports (PLOGI, PRLI with first burst) and runs the remote-copy commands as FCP exchanges: RC
/// UPDATE COPY for every host write and copied track, RC PAIR CONTROL and RC RESYNC for the pair state. A pcap tap
/// sees them like any other traffic. The connection closing takes the path down (the core suspends its pairs); with
/// <see cref="ReconnectInterval"/> set it is tried again until it comes back.
/// </summary>
public sealed class FcpRemotePath : IRemoteCopyPath, IAsyncDisposable
{
    // An update is one command exchange of the path's initiator port, so no more than its command OX_IDs
    // (0x0000-0xEFFF) are outstanding: the pool keeps that many, and one returned is never dropped.
    private const int MaxUpdateExchanges = 0xF000;

    private readonly Func<CancellationToken, Task<InitiatorPort>> _open;
    private readonly PortId _initiatorId;
    private readonly PortId[] _peerPorts;
    private readonly ObjectPool<UpdateExchange> _exchanges;
    private readonly CancellationTokenSource _stop = new();
    private InitiatorPort? _port;
    private Task _reconnect = Task.CompletedTask;
    private long _updatesSent;
    private long _blocksSent;

    /// <summary>Initializes a path that is down until <see cref="ConnectAsync"/>.</summary>
    /// <param name="name">A name for logs.</param>
    /// <param name="initiatorId">This subsystem's remote-copy initiator port ID (the secondary must list it as a peer).</param>
    /// <param name="peerPorts">The secondary's target port IDs: each is logged in to, and S-VOLs on them use this path.</param>
    /// <param name="connect">Opens the connection to the secondary (its FCIP listener, or an in-process link).</param>
    /// <param name="tap">Optional: sees every frame both ways (pcap).</param>
    public FcpRemotePath(string name, PortId initiatorId, IReadOnlyCollection<PortId> peerPorts, Func<CancellationToken, Task<IDuplexPipe>> connect, IFrameTap? tap = null)
        : this(name, initiatorId, peerPorts, async cancellationToken => new InitiatorPort(await connect(cancellationToken).ConfigureAwait(false), (int)initiatorId.Value, tap))
    {
        ArgumentNullException.ThrowIfNull(connect);
    }

    private FcpRemotePath(string name, PortId initiatorId, IReadOnlyCollection<PortId> peerPorts, Func<CancellationToken, Task<InitiatorPort>> open)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(peerPorts);
        if (peerPorts.Count == 0)
        {
            throw new ArgumentException("a remote-copy path reaches at least one port of its peer", nameof(peerPorts));
        }

        Name = name;
        _initiatorId = initiatorId;
        _peerPorts = [.. peerPorts];
        _open = open;
        _exchanges = new DefaultObjectPool<UpdateExchange>(new UpdateExchangePolicy(this), MaxUpdateExchanges);
    }

    /// <summary>A path over TCP to the secondary's FCIP listener (two controllerd processes).</summary>
    /// <param name="name">A name for logs.</param>
    /// <param name="initiatorId">This subsystem's remote-copy initiator port ID.</param>
    /// <param name="peerPorts">The secondary's target port IDs.</param>
    /// <param name="peer">The secondary's listener.</param>
    /// <param name="tap">Optional: sees every frame both ways (pcap).</param>
    /// <returns>The path, down until connected.</returns>
    public static FcpRemotePath OverTcp(string name, PortId initiatorId, IReadOnlyCollection<PortId> peerPorts, System.Net.IPEndPoint peer, IFrameTap? tap = null)
    {
        // The initiator names its own port by number (its public calls take ints).
        return new FcpRemotePath(name, initiatorId, peerPorts, cancellationToken => InitiatorPort.ConnectAsync(peer, (int)initiatorId.Value, tap, cancellationToken));
    }

    /// <summary>Connects in the background, and again after every loss, every <see cref="ReconnectInterval"/> (1 s if unset).</summary>
    public void Start()
    {
        _reconnect = Task.Run(() => ReconnectAsync(ReconnectInterval ?? TimeSpan.FromSeconds(1), initialDelay: false));
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool IsUp => Volatile.Read(ref _port) is not null;

    /// <summary>
    /// Gets or sets the key shared with the secondary (its <c>remote-copy-peer ... key</c>): with one, every connection
    /// answers the secondary's RC AUTHENTICATE challenge before the path is up. Null: no authentication.
    /// </summary>
    public byte[]? Key { get; set; }

    /// <summary>Gets or sets how long to wait before connecting again after the link went down; null: never again.</summary>
    public TimeSpan? ReconnectInterval { get; set; }

    /// <summary>Gets why the link last went down or failed to come up, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Gets the number of update copies sent (host writes and copied tracks).</summary>
    public long UpdatesSent => Interlocked.Read(ref _updatesSent);

    /// <summary>Gets the number of blocks those update copies carried.</summary>
    public long BlocksSent => Interlocked.Read(ref _blocksSent);

    /// <inheritdoc/>
    public event Action<bool>? StateChanged;

    /// <summary>Raised when an attempt to bring the path up fails for a reason other than the last attempt's.</summary>
    public event Action<string>? ConnectFailed;

    /// <inheritdoc/>
    public bool Reaches(PortId port)
    {
        return Array.IndexOf(_peerPorts, port) >= 0;
    }

    /// <summary>Connects and logs in to every peer port; on success the path is up.</summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>True when the path is up; false with <see cref="LastError"/> set.</returns>
    public async Task<bool> ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (IsUp)
        {
            return true;
        }

        InitiatorPort? port = null;
        try
        {
            port = await _open(cancellationToken).ConfigureAwait(false);
            foreach (PortId peer in _peerPorts)
            {
                await port.LoginAsync((int)peer.Value, firstBurst: true, cancellationToken).ConfigureAwait(false);
            }

            if (Key is byte[] key)
            {
                await AuthenticateAsync(port, key).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InitiatorException or IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            // Said once per new reason, not once per retry: a refused key is retried every second, unchanged.
            if (!string.Equals(LastError, e.Message, StringComparison.Ordinal) && e is not OperationCanceledException)
            {
                ConnectFailed?.Invoke(e.Message);
            }

            LastError = e.Message;
            if (port is not null)
            {
                await port.DisposeAsync().ConfigureAwait(false);
            }

            return false;
        }

        InitiatorPort up = port;
        up.Closed += reason => OnClosed(up, reason);
        if (up.ClosedReason is string closed || Interlocked.CompareExchange(ref _port, up, null) is not null)
        {
            LastError = up.ClosedReason ?? "connected twice";
            await up.DisposeAsync().ConfigureAwait(false);
            return IsUp;
        }

        LastError = null;
        StateChanged?.Invoke(true);
        return true;
    }

    // RC AUTHENTICATE, both steps, through the first peer port (docs/remote-copy.md, "Peer authentication").
    private async Task AuthenticateAsync(InitiatorPort port, byte[] key)
    {
        PortId target = _peerPorts[0];
        int targetNumber = (int)target.Value;
        byte[] cdb = new byte[16];
        byte[] challenge = new byte[RemoteCopyAuthentication.ChallengeLength];
        RemoteCopyAuthentication.WriteCdb(RemoteCopyAuthentication.ChallengeStep, cdb);
        ScsiResult asked = await port.ExecuteAsync(targetNumber, 0, cdb, dataIn: challenge).ConfigureAwait(false);
        if (!asked.IsGood || asked.DataInLength != challenge.Length)
        {
            throw new InitiatorException("RC AUTHENTICATE challenge from port 0x" + target.ToString("X6", System.Globalization.CultureInfo.InvariantCulture) + " failed: " + asked);
        }

        byte[] response = new byte[RemoteCopyAuthentication.ResponseLength];
        System.Security.Cryptography.RandomNumberGenerator.Fill(response.AsSpan(0, RemoteCopyAuthentication.NonceLength));
        RemoteCopyAuthentication.ComputeProof(key, challenge, response.AsSpan(0, RemoteCopyAuthentication.NonceLength), _initiatorId, target, response.AsSpan(RemoteCopyAuthentication.NonceLength));
        RemoteCopyAuthentication.WriteCdb(RemoteCopyAuthentication.ResponseStep, cdb);
        ScsiResult answered = await port.ExecuteAsync(targetNumber, 0, cdb, response).ConfigureAwait(false);
        if (!answered.IsGood)
        {
            throw new InitiatorException("the secondary refused this path's RC AUTHENTICATE answer (is its key the same as this path's?): " + answered);
        }
    }

    /// <summary>Takes the link down (fault injection, shutdown): the connection is closed, both sides learn it.</summary>
    /// <returns>When the connection is closed.</returns>
    public async Task DisconnectAsync()
    {
        InitiatorPort? port = Interlocked.Exchange(ref _port, null);
        if (port is null)
        {
            return;
        }

        LastError = "disconnected";
        StateChanged?.Invoke(false);
        await port.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void SendUpdate(in RemoteUpdate update, IRemoteUpdateCompletion completion)
    {
        InitiatorPort? port = Volatile.Read(ref _port);
        int blocks = update.Data.Count / 512;
        UpdateCopyCdb fields = new(update.Lba, blocks, update.IsCopiedTrack ? 0 : update.Sequence & UpdateCopyCdb.Max48, update.IsCopiedTrack, update.BeyondCut);
        Span<byte> cdb = stackalloc byte[UpdateCopyCdb.Length];
        if (port is null)
        {
            completion.Completed(RemoteStatus.LinkDown, PairErrorCode.LinkDown);
            return;
        }

        if (!fields.TryWrite(cdb))
        {
            completion.Completed(RemoteStatus.Refused, PairErrorCode.PeerError);
            return;
        }

        UpdateExchange exchange = _exchanges.Get();

        ValueTask<ScsiResult> pending;
        try
        {
            pending = port.ExecuteAsync((int)update.SVol.PortId.Value, update.SVol.Lun.Value, cdb, update.Data);
        }
        catch (InitiatorException)
        {
            _exchanges.Return(exchange);
            completion.Completed(RemoteStatus.LinkDown, PairErrorCode.LinkDown);
            return;
        }

        Interlocked.Increment(ref _updatesSent);
        Interlocked.Add(ref _blocksSent, blocks);
        exchange.Await(pending, completion);
    }

    /// <inheritdoc/>
    public void SendControl(RemoteControl request, Action<RemoteControlReply> reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reply);
        _ = RunControlAsync(request, reply);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await DisconnectAsync().ConfigureAwait(false);
        try
        {
            await _reconnect.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static RemoteControlReply ReplyOf(ScsiResult result, RemoteControl request)
    {
        if (result.IsGood)
        {
            return new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "done") { BlockCount = request.BlockCount };
        }

        return RemoteControlReply.Refused(ErrorOf(result), "the secondary answered " + result);
    }

    // The bytes of a pair's bitmap on the wire: one bit per track of its capacity (the last track may be partial).
    private static int BitmapBytes(RemoteControl request)
    {
        int blocksPerTrack = request.TrackSizeBytes / 512;
        long tracks = (request.BlockCount + blocksPerTrack - 1) / blocksPerTrack;
        return checked((int)((tracks + 7) / 8));
    }

    // A pair rejection (ASC 0x80) carries its error code in the ASCQ; anything else is a plain SCSI error.
    private static PairErrorCode ErrorOf(in ScsiResult result)
    {
        return result.Sense is SenseData sense && sense.Code == 0x80 && sense.Qualifier != 0
            ? (PairErrorCode)sense.Qualifier
            : PairErrorCode.PeerError;
    }

    private void OnClosed(InitiatorPort port, string reason)
    {
        if (Interlocked.CompareExchange(ref _port, null, port) != port)
        {
            return;
        }

        LastError = reason;
        StateChanged?.Invoke(false);
        if (ReconnectInterval is TimeSpan interval && !_stop.IsCancellationRequested)
        {
            _reconnect = Task.Run(() => ReconnectAsync(interval, initialDelay: true));
        }
    }

    private async Task ReconnectAsync(TimeSpan interval, bool initialDelay)
    {
        try
        {
            bool wait = initialDelay;
            while (!_stop.IsCancellationRequested && !IsUp)
            {
                if (wait)
                {
                    await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
                }

                wait = true;
                await ConnectAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunControlAsync(RemoteControl request, Action<RemoteControlReply> reply)
    {
        RemoteControlReply answer;
        try
        {
            answer = await ControlAsync(request).ConfigureAwait(false);
        }
        catch (InitiatorException e)
        {
            answer = RemoteControlReply.LinkDown(e.Message);
        }

        reply(answer);
    }

    private async Task<RemoteControlReply> ControlAsync(RemoteControl request)
    {
        InitiatorPort? port = Volatile.Read(ref _port);
        if (port is null)
        {
            return RemoteControlReply.LinkDown("the remote-copy path " + Name + " is down" + (LastError is null ? string.Empty : ": " + LastError));
        }

        // A message about no one pair (a name, a split) goes to the peer's first port, LUN 0: the link is not a host,
        // and the secondary reads remote-copy commands before any LUN lookup.
        // A pair command goes the other way: from the secondary to the P-VOL at the owner.
        VolumeAddress sVol = request.Pair.SVol.PortId.Value == 0 ? new VolumeAddress(_peerPorts[0], new Lun(0))
            : request.Kind == RemoteControlKind.PairCommand ? request.Pair.PVol
            : request.Pair.SVol;
        WireVolumeId pVolId = new(request.Pair.PVol);
        byte[] cdb = new byte[16];
        if (request.Kind == RemoteControlKind.Resync)
        {
            byte[] bits = new byte[BitmapBytes(request)];
            new ResyncCdb(pVolId, (uint)bits.Length).Write(cdb);
            ScsiResult resynced = await port.ExecuteAsync((int)sVol.PortId.Value, sVol.Lun.Value, cdb, dataIn: bits).ConfigureAwait(false);
            if (!resynced.IsGood)
            {
                return ReplyOf(resynced, request);
            }

            return resynced.DataInLength == bits.Length
                ? new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, "resync") { Bitmap = bits }
                : RemoteControlReply.Refused(PairErrorCode.PeerError, "RC RESYNC returned " + resynced.DataInLength + " bytes of bitmap, not " + bits.Length);
        }

        byte[] parameters = RemoteControlCodec.Encode(request);
        PairControlParameters.WriteCdb(cdb, parameters.Length);
        ScsiResult result = await port.ExecuteAsync((int)sVol.PortId.Value, sVol.Lun.Value, cdb, parameters).ConfigureAwait(false);
        bool swapped = request.Kind == RemoteControlKind.PairCommand && request.Operation == PairOperation.SwapResync;
        if (!result.IsGood || (request.NoCopyOrigin is null && !swapped))
        {
            return ReplyOf(result, request);
        }

        // A no-copy create: the secondary set aside what changed on its S-VOL since the split; an accepted swap resync:
        // the old owner, what changed on its P-VOL. Fetch it from the volume the command went to, naming the other.
        byte[] changed = new byte[BitmapBytes(request)];
        WireVolumeId other = swapped ? new WireVolumeId(request.Pair.SVol) : pVolId;
        new ResyncCdb(other, (uint)changed.Length) { Opcode = RemoteCopyOpcode.ReadBitmap }.Write(cdb);
        ScsiResult read = await port.ExecuteAsync((int)sVol.PortId.Value, sVol.Lun.Value, cdb, dataIn: changed).ConfigureAwait(false);
        if (!read.IsGood || read.DataInLength != changed.Length)
        {
            return read.IsGood ? RemoteControlReply.Refused(PairErrorCode.PeerError, "RC READ BITMAP returned " + read.DataInLength + " bytes, not " + changed.Length) : ReplyOf(read, request);
        }

        return new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, swapped ? "swap resync accepted" : "created without copy") { BlockCount = request.BlockCount, Bitmap = changed };
    }

    // One update copy's exchange, pooled: waits for the FCP_RSP without a closure, on the initiator's reader.
    private sealed class UpdateExchange
    {
        private readonly FcpRemotePath _path;
        private readonly Action _continuation;
        private ValueTaskAwaiter<ScsiResult> _awaiter;
        private IRemoteUpdateCompletion? _completion;

        public UpdateExchange(FcpRemotePath path)
        {
            _path = path;
            _continuation = Finish;
        }

        public void Await(ValueTask<ScsiResult> pending, IRemoteUpdateCompletion completion)
        {
            _completion = completion;
            _awaiter = pending.GetAwaiter();
            if (_awaiter.IsCompleted)
            {
                Finish();
            }
            else
            {
                _awaiter.UnsafeOnCompleted(_continuation);
            }
        }

        private void Finish()
        {
            IRemoteUpdateCompletion completion = _completion!;
            RemoteStatus status;
            PairErrorCode error = PairErrorCode.None;
            try
            {
                ScsiResult result = _awaiter.GetResult();
                status = result.IsGood ? RemoteStatus.Good : RemoteStatus.Refused;
                if (!result.IsGood)
                {
                    error = ErrorOf(result);
                }
            }
            catch (InitiatorException)
            {
                status = RemoteStatus.LinkDown;
                error = PairErrorCode.LinkDown;
            }

            _completion = null;
            _awaiter = default;
            _path._exchanges.Return(this);
            completion.Completed(status, error);
        }
    }

    // Update exchanges are made for this path and reset when they complete, so a returned one is always kept.
    private sealed class UpdateExchangePolicy(FcpRemotePath path) : PooledObjectPolicy<UpdateExchange>
    {
        public override UpdateExchange Create()
        {
            return new UpdateExchange(path);
        }

        public override bool Return(UpdateExchange obj)
        {
            return true;
        }
    }
}
