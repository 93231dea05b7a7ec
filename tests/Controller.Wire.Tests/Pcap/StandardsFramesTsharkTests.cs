// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Testing;
using Controller.Wire.Bls;
using Controller.Wire.Els;
using Controller.Wire.Pcap;

namespace Controller.Wire.Tests.Pcap;

/// <summary>
/// The frames of aborts and task management, as the target sends and takes them, written by <see cref="PcapWriter"/> and
/// decoded by the real tshark: each by its name, none malformed and no expert error.
/// </summary>
[Category("Standards")]
public sealed class StandardsFramesTsharkTests
{
    private static readonly PortId Host = new(0x010200);
    private static readonly PortId Port = new(0x400104);

    [Test]
    public void TsharkDecodesAbtsBasicRepliesTaskManagementAndThePlogiAcceptWithoutErrors()
    {
        string directory = Path.Combine(Path.GetTempPath(), "controller-standards-tshark-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, "standards.pcap");
            using (PcapWriter writer = new(File.Create(path)))
            {
                long time = 1_700_000_000_000_000_000;
                byte[] tmf = new byte[FcpCommand.Length];
                FcpCommand.TryWriteTaskManagement(tmf, 1, FcpTaskManagement.LogicalUnitReset);
                writer.WriteFrame(time++, Frame(FcRoutingControl.Command, FcFrameHeader.TypeFcp, FcFrameControl.Command, Host, Port, 0x0100, 0xFFFF, tmf));
                byte[] rsp = new byte[32];
                new FcpResponse(FcpResponse.Good, 0, false, false, null) { ResponseCode = FcpResponse.TaskManagementComplete }.TryWrite(rsp);
                writer.WriteFrame(time++, Frame(FcRoutingControl.Response, FcFrameHeader.TypeFcp, FcFrameControl.Response, Port, Host, 0x0100, 0x0100, rsp));
                writer.WriteFrame(time++, Frame(FcRoutingControl.BasicAbort, FcFrameHeader.TypeBasicLinkService, FcFrameControl.BasicAbort, Host, Port, 0x0010, 0xFFFF, []));
                byte[] accept = new byte[BasicAccept.Length];
                BasicAccept.WholeExchange(0x0010, 0x0010).TryWrite(accept);
                writer.WriteFrame(time++, Frame(FcRoutingControl.BasicAccept, FcFrameHeader.TypeBasicLinkService, FcFrameControl.BasicReply, Port, Host, 0x0010, 0x0010, accept));
                byte[] reject = new byte[BasicReject.Length];
                BasicReject.NoSuchExchange.TryWrite(reject);
                writer.WriteFrame(time++, Frame(FcRoutingControl.BasicReject, FcFrameHeader.TypeBasicLinkService, FcFrameControl.BasicReply, Port, Host, 0x0055, 0x0055, reject));
                byte[] plogi = new byte[ElsPayload.PortLoginLength];
                ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, ElsPayload.PortNameFor(Host), ElsPayload.PortNameFor(Host) & ~0xFFFFFFUL);
                writer.WriteFrame(time++, Frame(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, FcFrameControl.ElsRequest, Host, Port, 0xF001, 0xFFFF, plogi));
                byte[] plogiAccept = new byte[ElsPayload.PortLoginLength];
                ElsPayload.WritePortLogin(plogiAccept, ElsCommand.LinkServiceAccept, ElsPayload.PortNameFor(Port), ElsPayload.PortNameFor(Port) & ~0xFFFFFFUL);
                writer.WriteFrame(time++, Frame(FcRoutingControl.ElsReply, FcFrameHeader.TypeEls, FcFrameControl.ElsReply, Port, Host, 0xF001, 0xF001, plogiAccept));
            }

            string[] lines = Tshark.Read(path);
            string[] details = Tshark.Read(path, "-V");
            string all = string.Join(" | ", lines);
            Assert.Multiple(() =>
            {
                Assert.That(lines, Has.Length.EqualTo(7), "one line per frame: " + all);
                Assert.That(lines[0], Does.Contain("[FCP LU_RESET]"), "the FCP_CMND is a task management request: " + lines[0]);
                Assert.That(lines[2], Does.Contain("ABTS"), "ABTS by name: " + lines[2]);
                Assert.That(lines[3], Does.Contain("BA_ACC"), "BA_ACC by name: " + lines[3]);
                Assert.That(lines[4], Does.Contain("BA_RJT"), "BA_RJT by name: " + lines[4]);
                Assert.That(lines[5], Does.Contain("PLOGI"), "PLOGI: " + lines[5]);
                Assert.That(details, Has.None.Contains("Malformed"), "no frame is malformed: " + string.Join("\n", details));
                Assert.That(details, Has.None.Contains("Expert Info (Error"), "no expert error");
            });
            TestContext.Out.WriteLine(string.Join("\n", lines));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] Frame(byte routingControl, byte type, int frameControl, PortId source, PortId destination, ushort originator, ushort responder, byte[] payload)
    {
        byte[] frame = new byte[FcFrameHeader.Length + payload.Length];
        new FcFrameHeader
        {
            RoutingControl = routingControl,
            DestinationId = destination,
            SourceId = source,
            Type = type,
            FrameControl = frameControl,
            OriginatorExchangeId = originator,
            ResponderExchangeId = responder,
        }.TryWrite(frame);
        payload.CopyTo(frame, FcFrameHeader.Length);
        return frame;
    }
}
