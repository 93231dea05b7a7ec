// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

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
    private readonly List<Task> _connections = [];
    private readonly Lock _lock = new();
    private readonly Func<string, IFrameTap?>? _tapFactory;
    private Task? _acceptLoop;

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
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(endPoint);
    }

    /// <summary>Gets the address it listens on (with the real port when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Starts accepting connections.</summary>
    public void Start()
    {
        _socket.Listen(64);
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Stops accepting, closes every connection and waits for them to end.</summary>
    /// <returns>A task that completes when all connections have ended.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        Task[] running;
        lock (_lock)
        {
            running = [.. _connections];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            client.NoDelay = true;
            Task served = ServeAsync(client);
            lock (_lock)
            {
                _connections.RemoveAll(static task => task.IsCompleted);
                _connections.Add(served);
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        string peer = client.RemoteEndPoint?.ToString() ?? "unknown peer";
        _frontEnd.Options.Log?.Invoke(peer + ": connected");
        await using NetworkStream stream = new(client, ownsSocket: true);
        TargetConnection connection = _frontEnd.Accept(DuplexPipe.OverStream(stream), peer, _tapFactory?.Invoke(peer));
        try
        {
            await connection.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            _frontEnd.Options.Log?.Invoke(peer + ": connection failed: " + exception.Message);
        }
    }
}
