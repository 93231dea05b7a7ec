// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Controller.Wire.Transport;

namespace Controller.Target;

/// <summary>
/// Listens for FCIP connections on TCP (RFC 3821; 127.0.0.1:3225 by default) and serves each with the port
/// front. One listener serves every target port: frames are routed by D_ID, as over an FCIP link.
/// </summary>
public sealed class FcipListener : IAsyncDisposable
{
    private readonly ControllerFrontEnd _frontEnd;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _stopAccepting = new();
    private readonly Dictionary<TargetConnection, Task> _connections = [];
    private readonly Lock _lock = new();
    // A stopping connection is closed once no frame arrived for QuietInterval, or after QuietLimit (StopAsync).
    private const int QuietInterval = 50;
    private const int QuietLimit = 1000;

    private readonly Func<string, IFrameTap?>? _tapFactory;
    private Task? _acceptLoop;
    private bool _stopped;

    // Connections being served (accepted and not ended), against ConnectionLimits.MaxConnections: Interlocked
    // (the accept loop counts up, each connection's end counts down).
    private int _open;
    private long _refused;

    /// <summary>Initializes a listener; call <see cref="Start"/>.</summary>
    /// <param name="frontEnd">The port front that serves the connections.</param>
    /// <param name="endPoint">Where to listen (port 0 picks a free port).</param>
    /// <param name="tapFactory">Optional: a frame tap per connection (by peer name), e.g. a pcap recorder.</param>
    public FcipListener(ControllerFrontEnd frontEnd, IPEndPoint endPoint, Func<string, IFrameTap?>? tapFactory = null)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        ArgumentNullException.ThrowIfNull(endPoint);
        _frontEnd = frontEnd;
        _tapFactory = tapFactory;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);

        // No SocketOptionName.ReuseAddress: on Linux .NET sets SO_REUSEPORT with it, and then a second daemon
        // binds the same address and the kernel spreads the logins over both (issue #18). Bind alone already sets
        // SO_REUSEADDR for TCP on Unix (as Windows behaves), which lets a restart bind while the last run's
        // connections are in TIME_WAIT but refuses a second listener: "Address already in use".
        // Checked with getsockopt after Bind: SO_REUSEADDR 1, SO_REUSEPORT 0; with ReuseAddress both 1.
        // ExclusiveAddressUse is Windows' guard against a second socket binding the same address.
        if (OperatingSystem.IsWindows())
        {
            _socket.ExclusiveAddressUse = true;
        }

        _socket.Bind(endPoint);
    }

    /// <summary>Gets the connections being served now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Gets the connections refused because <see cref="ConnectionLimits.MaxConnections"/> were open.</summary>
    public long ConnectionsRefused => Interlocked.Read(ref _refused);

    /// <summary>Gets the address it listens on (with the real port when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Starts accepting connections.</summary>
    public void Start()
    {
        _socket.Listen(64);
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>
    /// Stops gracefully: stops accepting connections, refuses new commands on the open ones (NOT READY, target
    /// port unavailable), waits up to <paramref name="timeout"/> for every command already started to be
    /// answered, then closes each connection once its last answers are sent. The stop of a controller
    /// (docs/controllerd.md, "Stopping").
    /// </summary>
    /// <param name="timeout">How long to wait for the commands in flight; those still outstanding then are left unanswered and reported.</param>
    /// <returns>What the stop counted.</returns>
    public async Task<DrainReport> StopAsync(TimeSpan timeout)
    {
        _stopped = true;
        long start = Stopwatch.GetTimestamp();
        await StopAcceptingAsync().ConfigureAwait(false);

        // The accept loop has ended, so every connection is in the table and none is added.
        KeyValuePair<TargetConnection, Task>[] open;
        lock (_lock)
        {
            open = [.. _connections];
        }

        int inFlight = 0;
        Task[] drained = new Task[open.Length];
        for (int i = 0; i < open.Length; i++)
        {
            inFlight += open[i].Key.BeginStop();

            // A connection the host closed meanwhile has no one left to answer.
            drained[i] = Task.WhenAny(open[i].Key.Drained, open[i].Value);
        }

        ListenerLog.StopBegun(_frontEnd.ListenerLogger, inFlight, open.Length);
        try
        {
            await Task.WhenAll(drained).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Reported below, connection by connection.
        }

        TimeSpan drainTime = Stopwatch.GetElapsedTime(start);

        // A host learns of the stop from its first NOT READY; what it sent before is still arriving (a backlog
        // behind large writes takes a while). Keep reading, and refusing, until each connection has been quiet
        // for an interval, for a second at most, so that a command sent before the stop is answered, not lost
        // with the connection.
        Task[] quiet = new Task[open.Length];
        for (int i = 0; i < open.Length; i++)
        {
            quiet[i] = WaitUntilQuietAsync(open[i].Key, open[i].Value);
        }

        await Task.WhenAll(quiet).ConfigureAwait(false);
        int unanswered = 0;
        List<string> stillInFlight = [];
        foreach (KeyValuePair<TargetConnection, Task> connection in open)
        {
            int outstanding = connection.Value.IsCompleted ? 0 : connection.Key.Outstanding;
            unanswered += outstanding;
            if (outstanding > 0)
            {
                foreach (string command in connection.Key.DescribeOutstanding(10 - Math.Min(stillInFlight.Count, 10)))
                {
                    stillInFlight.Add(connection.Key.Peer + " " + command);
                }
            }

            connection.Key.EndReading();
        }

        Task[] serving = new Task[open.Length];
        for (int i = 0; i < open.Length; i++)
        {
            serving[i] = open[i].Value;
        }

        await Task.WhenAll(serving).ConfigureAwait(false);
        int answered = 0;
        int refused = 0;
        foreach (KeyValuePair<TargetConnection, Task> connection in open)
        {
            answered += connection.Key.AnsweredWhileStopping;
            refused += connection.Key.RefusedWhileStopping;
        }

        return new DrainReport(open.Length, inFlight, answered, refused, unanswered, stillInFlight, drainTime);
    }

    /// <summary>Stops accepting, closes every connection at once (commands in flight are not answered) and waits for them to end; after <see cref="StopAsync"/>, only releases what is left.</summary>
    /// <returns>A task that completes when all connections have ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await StopAcceptingAsync().ConfigureAwait(false);
            Task[] running;
            lock (_lock)
            {
                running = [.. _connections.Values];
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }

        _stop.Dispose();
        _stopAccepting.Dispose();
    }

    private static async Task WaitUntilQuietAsync(TargetConnection connection, Task served)
    {
        long seen = connection.FramesReceived;
        for (int interval = 0; interval < QuietLimit / QuietInterval && !served.IsCompleted; interval++)
        {
            await Task.Delay(QuietInterval).ConfigureAwait(false);
            long now = connection.FramesReceived;
            if (now == seen)
            {
                return;
            }

            seen = now;
        }
    }

    private async Task StopAcceptingAsync()
    {
        await _stopAccepting.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopAccepting.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stopAccepting.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            string peer = client.RemoteEndPoint?.ToString() ?? "unknown peer";
            int limit = _frontEnd.Options.Limits.MaxConnections;
            if (Interlocked.Increment(ref _open) > limit)
            {
                // Refused before anything is allocated for it: closed at once, and said once per refusal.
                Interlocked.Decrement(ref _open);
                Interlocked.Increment(ref _refused);
                ListenerLog.ConnectionRefused(_frontEnd.ListenerLogger, peer, limit, limit);
                client.Dispose();
                continue;
            }

            client.NoDelay = true;
            ListenerLog.Connected(_frontEnd.ListenerLogger, peer);
            NetworkStream stream = new(client, ownsSocket: true);
            TargetConnection connection = _frontEnd.Accept(DuplexPipe.OverStream(stream), peer, _tapFactory?.Invoke(peer));
            Task served = ServeAsync(client, stream, connection);
            lock (_lock)
            {
                // A stop waits for this loop to end before it looks, so it finds every connection accepted.
                foreach (KeyValuePair<TargetConnection, Task> ended in _connections)
                {
                    if (ended.Value.IsCompleted)
                    {
                        _connections.Remove(ended.Key);
                    }
                }

                _connections.Add(connection, served);
            }
        }
    }

    private async Task ServeAsync(Socket client, NetworkStream stream, TargetConnection connection)
    {
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                await connection.RunAsync(_stop.Token).ConfigureAwait(false);
                if (_stopped)
                {
                    await CloseGracefullyAsync(client).ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
            {
                ListenerLog.ConnectionFailed(_frontEnd.ListenerLogger, connection.Peer, exception.Message);
            }
            finally
            {
                Interlocked.Decrement(ref _open);

                // Dropped from the table at once, with everything it holds (its exchange table alone is 512 KiB):
                // a crowd that connects and leaves must not stay in memory until the next accept. (One that ends
                // before the accept loop has added it is dropped by the loop's sweep at the next accept.)
                lock (_lock)
                {
                    _connections.Remove(connection);
                }
            }
        }
    }

    // The last answers are in the kernel's send buffer. Closing a socket with received bytes unread (commands the
    // host sent after the reader ended) makes Linux send RST and drop what was not yet sent, so: FIN after the
    // data, then read and discard until the host closes its side, for a second at most.
    private static async Task CloseGracefullyAsync(Socket client)
    {
        client.Shutdown(SocketShutdown.Send);
        byte[] discard = new byte[16 * 1024];
        using CancellationTokenSource linger = new(TimeSpan.FromSeconds(1));
        try
        {
            while (await client.ReceiveAsync(discard, SocketFlags.None, linger.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            // The host kept its side open: close anyway.
        }
    }
}
