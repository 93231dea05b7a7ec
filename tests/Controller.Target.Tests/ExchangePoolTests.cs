// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;

namespace Controller.Target.Tests;

/// <summary>
/// A connection's exchanges (<see cref="ExchangePool"/>): every exchange made is reused and none is dropped, so
/// TASK SET FULL at the limit allocates nothing once the connection has made what it needs at once.
/// </summary>
public sealed class ExchangePoolTests
{
    [Test]
    public async Task TaskSetFullAtTheLimitReusesTheExchangesMadeBeforeCycleAfterCycle()
    {
        await using TargetRig rig = new(new TargetOptions { MaxExchangesPerConnection = 2 });
        RawPeer peer = new(rig.FrontEnd);
        await peer.LoginAsync();
        int afterFirstCycle = 0;
        for (int cycle = 0; cycle < 6; cycle++)
        {
            // Two writes parked for their data hold the connection at its limit of two.
            ushort first = (ushort)(0x100 + (cycle * 16));
            ushort second = (ushort)(first + 1);
            await peer.SendCommandAsync(first, 1, TargetRig.Write16(cycle, 1), 512, write: true);
            (FcFrameHeader ready1, _) = await peer.ReceiveAsync();
            await peer.SendCommandAsync(second, 1, TargetRig.Write16(cycle + 8, 1), 512, write: true);
            (FcFrameHeader ready2, _) = await peer.ReceiveAsync();
            Assert.That((ready1.RoutingControl, ready2.RoutingControl), Is.EqualTo((FcRoutingControl.TransferReady, FcRoutingControl.TransferReady)), "both writes asked for their data");

            // Refused one at a time, each answer taken before the next command.
            for (ushort refused = (ushort)(first + 2); refused < first + 6; refused++)
            {
                await peer.SendCommandAsync(refused, 1, new byte[6]);
                FcpResponse full = await peer.ReceiveResponseAsync(refused);
                Assert.That(full.Status, Is.EqualTo(FcpResponse.TaskSetFull), "a third command at a limit of two is TASK SET FULL (cycle " + cycle + ")");
            }

            await peer.SendDataAsync(first, 0, new byte[512]);
            FcpResponse wrote1 = await peer.ReceiveResponseAsync(first);
            await peer.SendDataAsync(second, 0, new byte[512]);
            FcpResponse wrote2 = await peer.ReceiveResponseAsync(second);
            Assert.That((wrote1.Status, wrote2.Status), Is.EqualTo((FcpResponse.Good, FcpResponse.Good)), "both writes completed");
            if (cycle == 0)
            {
                afterFirstCycle = peer.Connection.ExchangesCreated;
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(afterFirstCycle, Is.EqualTo(3), "the first cycle made two exchanges for the writes and one for the refusals, reused by each");
            Assert.That(peer.Connection.ExchangesCreated, Is.EqualTo(afterFirstCycle), "later cycles made none: the exchange of the refusals was kept, not dropped when the writes' came back");
        });
    }
}
