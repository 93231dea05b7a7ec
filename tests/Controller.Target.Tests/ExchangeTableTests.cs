// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;
using Controller.Wire.Transport;

namespace Controller.Target.Tests;

/// <summary>
/// The OX_ID table (<see cref="ExchangeTable"/>): sized to the commands a connection may have outstanding, not one
/// slot per possible OX_ID, and it finds exactly the live commands whatever OX_IDs the initiator uses.
/// </summary>
public sealed class ExchangeTableTests
{
    [Test]
    public async Task AConnectionsTableFollowsItsOutstandingLimitAndCostsNoHalfMegabyte()
    {
        await using TargetRig standard = new(new TargetOptions { Limits = new ConnectionLimits { LoginTimeout = null } });
        await using TargetRig small = new(new TargetOptions { MaxExchangesPerConnection = 8, Limits = new ConnectionLimits { LoginTimeout = null } });
        (DuplexPipe _, DuplexPipe target) = DuplexPipe.CreatePair();
        (DuplexPipe _, DuplexPipe smallTarget) = DuplexPipe.CreatePair();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        TargetConnection connection = standard.FrontEnd.Accept(target, "probe");
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        TargetConnection limited = small.FrontEnd.Accept(smallTarget, "probe");
        Assert.Multiple(() =>
        {
            Assert.That(connection.ExchangeTableCapacity, Is.EqualTo(2048), "twice the default limit of 1,024 outstanding commands");
            Assert.That(limited.ExchangeTableCapacity, Is.EqualTo(16), "twice a limit of 8");
            Assert.That(allocated, Is.LessThan(128 * 1024), "a new connection allocates well under the 512 KiB of a 65,536-slot table");
        });
    }

    [Test]
    public void ATableGrowsWhenItsConnectionsLimitGrows()
    {
        ExchangeTable table = new(1024);
        table.EnsureLimit(1024);
        int before = table.Capacity;
        table.EnsureLimit(16_384);
        Assert.That((before, table.Capacity), Is.EqualTo((2048, 32_768)), "a remote-copy peer's limit of 16,384 gets its own size");
    }

    [Test]
    public async Task CommandsComingAndGoingAllocateNothingOnceTheTableIsMade()
    {
        await using TargetRig rig = new(new TargetOptions { Limits = new ConnectionLimits { LoginTimeout = null } });
        (DuplexPipe _, DuplexPipe target) = DuplexPipe.CreatePair();
        TargetConnection connection = rig.FrontEnd.Accept(target, "probe");
        ExchangeTable table = new(1024);
        ScsiExchange[] window = new ScsiExchange[32];
        for (int i = 0; i < window.Length; i++)
        {
            window[i] = new ScsiExchange(connection);
        }

        // 32 outstanding, sequential OX_IDs round the whole 16-bit space twice: the dead entries are cleared many times.
        long allocated = 0;
        int held = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int command = 0; command < 131_072; command++)
            {
                ushort id = (ushort)command;
                ScsiExchange exchange = window[command % window.Length];
                exchange.LeaveTable();
                held += table.Find(id) is null ? 0 : 1;
                exchange.StartRefusal(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, id));
                exchange.InTable = true;
                table.Add(exchange);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Multiple(() =>
        {
            Assert.That(held, Is.Zero, "every OX_ID was free again when it came round");
            Assert.That(allocated, Is.Zero, "clearing the dead entries happens in place: nothing allocated per command");
            Assert.That(table.Capacity, Is.EqualTo(2048), "and the table kept its size");
        });
    }

    [TestCase(1, "random")]
    [TestCase(2, "sequential")]
    [TestCase(3, "colliding")]
    public async Task TheTableFindsExactlyTheLiveCommandsAcrossManyReuses(int seed, string pattern)
    {
        await using TargetRig rig = new(new TargetOptions { Limits = new ConnectionLimits { LoginTimeout = null } });
        (DuplexPipe _, DuplexPipe target) = DuplexPipe.CreatePair();
        TargetConnection connection = rig.FrontEnd.Accept(target, "probe");
        const int Limit = 64;
        ExchangeTable table = new(Limit);
        Stack<ScsiExchange> free = new();
        for (int i = 0; i < Limit; i++)
        {
            free.Push(new ScsiExchange(connection));
        }

        Dictionary<ushort, ScsiExchange> live = [];
        List<ushort> order = [];
        Random random = new(seed);
        ushort next = 0;
        for (int step = 0; step < 200_000; step++)
        {
            if (live.Count < Limit && (live.Count == 0 || random.Next(2) == 0))
            {
                ushort id = pattern switch
                {
                    "sequential" => next++,
                    "colliding" => (ushort)(random.Next(32) * 2048),
                    _ => (ushort)random.Next(65_536),
                };
                if (live.TryGetValue(id, out ScsiExchange? held))
                {
                    Assert.That(table.Find(id), Is.SameAs(held), "seed " + seed + " step " + step + ": a live OX_ID is found");
                    continue;
                }

                Assert.That(table.Find(id), Is.Null, "seed " + seed + " step " + step + ": an OX_ID no command holds is not found");
                ScsiExchange exchange = free.Pop();
                exchange.StartRefusal(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, id));
                exchange.InTable = true;
                table.Add(exchange);
                live[id] = exchange;
                order.Add(id);
            }
            else
            {
                // Answered (or aborted) from another thread: only the state word changes.
                int at = random.Next(order.Count);
                ushort id = order[at];
                order[at] = order[^1];
                order.RemoveAt(order.Count - 1);
                ScsiExchange exchange = live[id];
                live.Remove(id);
                exchange.LeaveTable();
                free.Push(exchange);
            }

            ushort probe = pattern == "colliding" ? (ushort)(random.Next(32) * 2048) : (ushort)random.Next(65_536);
            Assert.That(table.Find(probe), Is.SameAs(live.GetValueOrDefault(probe)), "seed " + seed + " step " + step + ": OX_ID " + probe + " is found exactly when live");
        }

        Assert.That(table.Capacity, Is.EqualTo(128), "never grown: at most 64 live in 128 entries");
    }
}
