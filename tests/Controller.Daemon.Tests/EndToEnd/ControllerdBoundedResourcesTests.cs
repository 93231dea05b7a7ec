// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using System.Net.Sockets;
using Controller.Addressing;
using Controller.Wire;
using Controller.Wire.Els;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// Bounded resources on the real daemon (docs/controllerd.md, "Bounded resources"): the connection limit and the frame
/// timeout as configured in its file, over loopback TCP. Outcomes only: no duration is asserted.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("R0-19")]
public sealed class ControllerdBoundedResourcesTests
{
    private const int Host = 0x010200;
    private const int Port = 0x400104;
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "controllerd-bounds-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task OneConnectionMoreThanMaxConnectionsIsRefusedAtOnceAndLogged()
    {
        string config = await WriteConfigAsync("max-connections 3");
        using DaemonProcess daemon = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0");
        IPEndPoint endPoint = await daemon.WaitUntilListeningAsync();
        List<Socket> clients = [];
        try
        {
            for (int i = 0; i < 4; i++)
            {
                Socket client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await client.ConnectAsync(endPoint);
                clients.Add(client);
            }

            string refused = await daemon.WaitForLineAsync(": connection refused: ");
            int received = await clients[3].ReceiveAsync(new byte[16].AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Multiple(() =>
            {
                Assert.That(refused, Does.Contain(clients[3].LocalEndPoint + ": connection refused: 3 connections are open, the most allowed (max-connections 3)"), "the fourth is refused, named by its address");
                Assert.That(received, Is.Zero, "the daemon closed the fourth at once");
                Assert.That(daemon.Output, Has.Exactly(3).Contains(": connected"), "the first three were served");
            });
        }
        finally
        {
            foreach (Socket client in clients)
            {
                client.Dispose();
            }
        }

        Assert.That(await daemon.TerminateAsync(), Is.Zero, "the daemon stops cleanly: " + string.Join(" | ", daemon.Output));
    }

    [Test]
    public async Task AFrameBegunAndNeverFinishedIsClosedAfterTheFrameTimeout()
    {
        string config = await WriteConfigAsync("frame-timeout 1");
        using DaemonProcess daemon = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0");
        IPEndPoint endPoint = await daemon.WaitUntilListeningAsync();
        using Socket client = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endPoint);

        // PLOGI and PRLI, whole; then half of an FCP_CMND frame, and nothing more.
        byte[] plogi = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, 1, 2);
        byte[] prli = new byte[ElsPayload.ProcessLoginLength];
        ElsPayload.WriteProcessLogin(prli, ElsCommand.ProcessLogin, ElsPayload.InitiatorFunction);
        byte[] command = new byte[FcpCommand.Length];
        FcpCommand.TryWrite(command, 1, new byte[16] { 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0 }, readData: true, writeData: false, 4096);
        byte[] half = Encode(FcRoutingControl.Command, FcFrameHeader.TypeFcp, 7, command);
        await client.SendAsync(Encode(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF001, plogi));
        await client.SendAsync(Encode(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF002, prli));
        await client.SendAsync(half.AsMemory(0, half.Length / 2));

        // The login answers come, then the end of the stream when the daemon closes: read until it.
        byte[] buffer = new byte[4096];
        using CancellationTokenSource generous = new(TimeSpan.FromSeconds(60));
        while (await client.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, generous.Token) > 0)
        {
        }

        string closed = await daemon.WaitForLineAsync("connection closed: a frame begun");
        Assert.That(closed, Does.Contain("is not complete").And.Contain("frame timeout 1 s"), "the daemon closed the connection for the unfinished frame, and said so");
        Assert.That(await daemon.TerminateAsync(), Is.Zero, "the daemon stops cleanly: " + string.Join(" | ", daemon.Output));
    }

    private static byte[] Encode(byte routingControl, byte type, ushort exchangeId, byte[] payload)
    {
        FcFrameHeader header = new()
        {
            RoutingControl = routingControl,
            DestinationId = new PortId(Port),
            SourceId = new PortId(Host),
            Type = type,
            FrameControl = FcFrameControl.Command,
            OriginatorExchangeId = exchangeId,
            ResponderExchangeId = 0xFFFF,
        };
        byte[] frame = new byte[FcFrameHeader.Length + payload.Length];
        header.TryWrite(frame);
        payload.CopyTo(frame, FcFrameHeader.Length);
        byte[] encoded = new byte[FcipEncapsulation.EncodedLength(frame.Length)];
        FcipEncapsulation.TryWrite(frame, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 0, 0, encoded, out _);
        return encoded;
    }

    private async Task<string> WriteConfigAsync(string limit)
    {
        string path = Path.Combine(_directory, "controllerd.conf");
        await File.WriteAllLinesAsync(path, ["store ram", "ldev 00:01 size 1MiB", "port 0x400104 open", "lun 0x400104 0x0001 00:01", limit]);
        return path;
    }
}
