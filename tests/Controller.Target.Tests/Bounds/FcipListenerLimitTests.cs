// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using System.Net.Sockets;

namespace Controller.Target.Tests.Bounds;

/// <summary>The listener's connection limit (docs/controllerd.md, "Bounded resources"): one more than the limit is closed at once and logged.</summary>
[Category("R0-19")]
public sealed class FcipListenerLimitTests
{
    [Test]
    public async Task OneConnectionMoreThanMaxConnectionsIsClosedAtOnceAndLoggedWithItsAddress()
    {
        await using TargetRig rig = new(new TargetOptions { Limits = new ConnectionLimits { MaxConnections = 2 } });
        FcipListener listener = new(rig.FrontEnd, new IPEndPoint(IPAddress.Loopback, 0));
        listener.Start();
        List<Socket> clients = [];
        try
        {
            for (int i = 0; i < 3; i++)
            {
                Socket client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await client.ConnectAsync(listener.LocalEndPoint);
                clients.Add(client);
            }

            // The third is refused: the listener closes it, so its first receive sees the end of the stream.
            byte[] buffer = new byte[16];
            int received = await clients[2].ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Multiple(() =>
            {
                Assert.That(received, Is.Zero, "the connection over the limit was closed by the listener");
                Assert.That(listener.ConnectionsRefused, Is.EqualTo(1), "one refusal counted");
                Assert.That(listener.OpenConnections, Is.EqualTo(2), "the first two are still served");
                Assert.That(rig.Log, Has.Some.EqualTo(clients[2].LocalEndPoint + ": connection refused: 2 connections are open, the most allowed (max-connections 2)"), "the refusal is logged with the peer's address");
            });
        }
        finally
        {
            foreach (Socket client in clients)
            {
                client.Dispose();
            }

            await listener.DisposeAsync();
        }
    }
}
