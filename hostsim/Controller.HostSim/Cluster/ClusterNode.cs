// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire.CopyManagement;
using Controller.Wire.Scsi;

namespace Controller.HostSim.Cluster;

/// <summary>
/// One cluster host: its clustering software (the heartbeat, the failure it declares after the timeout, the
/// RESERVE it sends through the paired volume control software; R2-13), and the application on the data volume.
/// On a successful reserve a standby host fails over: it takes the data pair over (R2-18, R2-19) and starts the
/// application; an active host keeps running. On a failed reserve it does not fail over, and an active host
/// fences itself: it stops using the data volume (R2-16).
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private readonly InitiatorPort _port;
    private readonly TraceVolume _data;
    private readonly bool _selfFence;
    private readonly ClusterTiming _timing;
    private readonly long _probeLba;
    private readonly Func<TimeSpan> _clock;
    private readonly Action<string, string> _note;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private TimeSpan _lastBeat;
    private TimeSpan _lastDefense;
    private bool _handling;
    private bool _handled;
    private TaskCompletionSource<bool> _decision = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loops = Task.CompletedTask;

    public ClusterNode(string name, InitiatorPort port, PairedVolumeControl pvc, TraceVolume data, long probeLba, ClusterTiming timing, TimeSpan timeout, bool active, bool selfFence, Func<TimeSpan> clock, Action<string, string> note)
    {
        Name = name;
        _port = port;
        Pvc = pvc;
        _data = data;
        _probeLba = probeLba;
        _timing = timing;
        Timeout = timeout;
        Online = active;
        _selfFence = selfFence;
        _clock = clock;
        _note = note;
        _lastBeat = clock();
    }

    public string Name { get; }

    public PairedVolumeControl Pvc { get; }

    /// <summary>Gets or sets this host's heartbeat timeout (R2-13).</summary>
    public TimeSpan Timeout { get; set; }

    /// <summary>Gets whether the application runs here (the host uses the data volume).</summary>
    public bool Online { get; private set; }

    /// <summary>Gets whether the host has crashed.</summary>
    public bool Crashed { get; private set; }

    /// <summary>Gets whether the host fenced itself after losing a reserve (R2-16).</summary>
    public bool SelfFenced { get; private set; }

    /// <summary>Gets the other host (heartbeats go to it).</summary>
    public ClusterNode? Peer { get; set; }

    /// <summary>Gets the last failover's time from the last heartbeat heard to the application online (null until one).</summary>
    public TimeSpan? TakeoverTime { get; private set; }

    /// <summary>Gets the last failover's time from declaring the heartbeat failure to the application online: the reserve and the takeover.</summary>
    public TimeSpan? ReserveAndTakeoverTime { get; private set; }

    /// <summary>Gets the task that ends when this host has handled the current heartbeat failure (true: it won the reserve).</summary>
    public Task<bool> Decision
    {
        get
        {
            lock (_lock)
            {
                return _decision.Task;
            }
        }
    }

    /// <summary>Starts the heartbeat and its watch.</summary>
    /// <param name="network">The heartbeat network.</param>
    public void Start(HeartbeatNetwork network)
    {
        _loops = Task.WhenAll(Task.Run(() => BeatAsync(network)), Task.Run(WatchAsync));
    }

    /// <summary>The host crashes: no more beats, no more commands; the application dies with it.</summary>
    public void Crash()
    {
        Crashed = true;
        Online = false;
        _stop.Cancel();
        _note(Name, "crashes (the application dies with it)");
    }

    /// <summary>A heartbeat from the peer; after a failure, the first one ends it (the cluster has recovered).</summary>
    public void Receive()
    {
        lock (_lock)
        {
            _lastBeat = _clock();
            if (_handled && !_handling)
            {
                _handled = false;
                _decision = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>The cluster recovered and this host, the loser, rejoins as standby (it stays fenced from the data).</summary>
    public void RejoinAsStandby()
    {
        SelfFenced = false;
        Online = false;
    }

    /// <summary>An operator brings the application online here explicitly (after a forced S-VOL takeover, R2-25).</summary>
    public void BringOnlineByOperator()
    {
        Online = true;
        _note(Name, "operator starts the application (explicit, not automatic)");
    }

    /// <summary>Probes whether this host can write its data volume now: one block at its probe LBA (R2-21).</summary>
    /// <returns>True when the host runs the application and its storage accepted the write.</returns>
    public async Task<bool> CanWriteAsync()
    {
        if (!Online || Crashed)
        {
            return false;
        }

        return await TryWriteAsync().ConfigureAwait(false);
    }

    /// <summary>Tries one write to the data volume whatever the host's state (the loser's write R2-20 says its storage refuses).</summary>
    /// <returns>True when the storage accepted it.</returns>
    public async Task<bool> TryWriteAsync()
    {
        try
        {
            byte[] block = new byte[512];
            block[0] = (byte)Name[^1];
            return (await _port.ExecuteAsync(_data.PortId, _data.Lun, BlockCdb.Create(BlockCdb.Write16, _probeLba, 1), block).ConfigureAwait(false)).IsGood;
        }
        catch (InitiatorException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task BeatAsync(HeartbeatNetwork network)
    {
        while (!_stop.IsCancellationRequested)
        {
            if (network.IsUp && Peer is { Crashed: false } peer)
            {
                peer.Receive();
            }

            await Task.Delay(_timing.Interval, _stop.Token).ConfigureAwait(false);
        }
    }

    private async Task WatchAsync()
    {
        TimeSpan poll = TimeSpan.FromMilliseconds(Math.Max(1, _timing.Interval.TotalMilliseconds / 4));
        while (!_stop.IsCancellationRequested)
        {
            TimeSpan lastBeat;
            bool due;
            lock (_lock)
            {
                lastBeat = _lastBeat;
                due = !_handled && _clock() - lastBeat > Timeout;
                if (due)
                {
                    _handled = true;
                    _handling = true;
                }
            }

            if (due)
            {
                await HandleHeartbeatFailureAsync(lastBeat).ConfigureAwait(false);
            }
            else if (Online && Pvc.Holding && _timing.ReReserveInterval > TimeSpan.Zero && _clock() - _lastDefense >= _timing.ReReserveInterval)
            {
                await DefendAsync().ConfigureAwait(false);
            }

            await Task.Delay(poll, _stop.Token).ConfigureAwait(false);
        }
    }

    // The owner defends its reservation periodically (MSCS); a defense that fails means another host holds the lock
    // now, so the application stops here (the storage refuses its writes anyway once the roles have moved).
    private async Task DefendAsync()
    {
        _lastDefense = _clock();
        if (!await Pvc.DefendAsync().ConfigureAwait(false) && Online)
        {
            Online = false;
            SelfFenced = true;
            _note(Name, "its periodic re-reserve failed: the reservation is lost; fences itself");
        }
    }

    // The clustering software declares the failure and sends RESERVE (R2-13), then fails over or not (R2-16).
    private async Task HandleHeartbeatFailureAsync(TimeSpan lastBeat)
    {
        TimeSpan declared = _clock();
        _note(Name, "heartbeat lost for " + (int)(declared - lastBeat).TotalMilliseconds + " ms: RESERVE");
        bool reserved = await Pvc.ReserveAsync().ConfigureAwait(false);
        if (reserved && !Online)
        {
            if (await TakeOverDataAsync().ConfigureAwait(false))
            {
                Online = true;
                TakeoverTime = _clock() - lastBeat;
                ReserveAndTakeoverTime = _clock() - declared;
                _note(Name, "RESERVE succeeded: failover done, the application runs on " + _data + " (" + (int)TakeoverTime.Value.TotalMilliseconds + " ms after the last heartbeat)");
            }
            else
            {
                _note(Name, "RESERVE succeeded but the data pair could not be taken over: the application stays offline");
            }
        }
        else if (reserved)
        {
            _note(Name, "RESERVE succeeded: keeps running");
        }
        else if (Online && _selfFence)
        {
            Online = false;
            SelfFenced = true;
            _note(Name, "RESERVE failed: no failover; fences itself (the application stops using " + _data + ")");
        }
        else
        {
            _note(Name, Online ? "RESERVE failed: keeps running (self-fence is off)" : "RESERVE failed: no failover");
        }

        TaskCompletionSource<bool> decision;
        lock (_lock)
        {
            _handling = false;
            decision = _decision;
        }

        decision.TrySetResult(reserved);
    }

    // R2-18/R2-19: a P-VOL needs nothing; an S-VOL is split and swap-resynced with the link up (swap takeover), or
    // taken over writable when its primary is out of reach (PSUE: S-VOL takeover).
    private async Task<bool> TakeOverDataAsync()
    {
        VolumeView view = await Pvc.ViewAsync(_data).ConfigureAwait(false);
        if (view.Role == PairRole.PVol || (view.Known && view.Role is null))
        {
            return true;
        }

        if (view.Role != PairRole.SVol)
        {
            return false;
        }

        if (view.State == PairState.Psue)
        {
            return await Pvc.SendAsync("TAKEOVER", CopyManagementOpcode.PairSplit, _data, view, readWrite: true).ConfigureAwait(false);
        }

        if (view.State != PairState.Psus)
        {
            if (!await Pvc.SendAsync("TAKEOVER", CopyManagementOpcode.PairSplit, _data, view).ConfigureAwait(false))
            {
                return false;
            }

            view = await Pvc.ViewAsync(_data).ConfigureAwait(false);
        }

        return await Pvc.SendAsync("TAKEOVER", CopyManagementOpcode.PairSwapResync, _data, view).ConfigureAwait(false);
    }
}
