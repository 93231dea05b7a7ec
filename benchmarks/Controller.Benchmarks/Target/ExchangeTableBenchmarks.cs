// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Firmware;
using Controller.Firmware.Scheduling;
using Controller.Target;
using Controller.Wire;
using Controller.Wire.Transport;

namespace Controller.Benchmarks.Target;

/// <summary>
/// A connection's OX_ID table on the per-command path, 32 commands outstanding with sequential OX_IDs (what the
/// initiator library sends): each operation is one command's life as the reader and the writer see it: the overlap
/// check of its FCP_CMND (a miss) and its entry, the lookup of its FCP_DATA (a hit), and its leaving the table before
/// its FCP_RSP. Baseline: the 65,536-slot array the table replaced (one slot per OX_ID, cleared by a compare-and-swap).
/// </summary>
[MemoryDiagnoser]
public class ExchangeTableBenchmarks
{
    private const int Commands = 1 << 16;
    private const int Depth = 32;

    private readonly ScsiExchange?[] _slots = new ScsiExchange?[ushort.MaxValue + 1];
    private ExchangeTable _table = null!;
    private ScsiExchange[] _exchanges = null!;

    [GlobalSetup]
    public void Setup()
    {
        StorageSubsystem subsystem = new(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 1 });
        ControllerFrontEnd frontEnd = new(subsystem, [], new TargetOptions { Limits = new ConnectionLimits { LoginTimeout = null } });
        (DuplexPipe _, DuplexPipe target) = DuplexPipe.CreatePair();
        TargetConnection connection = frontEnd.Accept(target, "bench");
        _table = new ExchangeTable(1024);
        _exchanges = new ScsiExchange[Depth];
        for (int i = 0; i < Depth; i++)
        {
            _exchanges[i] = new ScsiExchange(connection);
        }
    }

    [Benchmark(OperationsPerInvoke = Commands)]
    public int Table()
    {
        int found = 0;
        for (int command = 0; command < Commands; command++)
        {
            ushort id = (ushort)command;
            ScsiExchange exchange = _exchanges[command % Depth];
            exchange.LeaveTable();
            if (_table.Find(id) is null)
            {
                exchange.StartRefusal(Header(id));
                exchange.InTable = true;
                _table.Add(exchange);
            }

            found += _table.Find(id) is null ? 0 : 1;
        }

        return found;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Commands)]
    public int SlotPerOxId()
    {
        int found = 0;
        for (int command = 0; command < Commands; command++)
        {
            ushort id = (ushort)command;
            ScsiExchange exchange = _exchanges[command % Depth];
            exchange.LeaveTable();
            Interlocked.CompareExchange(ref _slots[(ushort)(exchange.OriginatorExchangeId)], null, exchange);
            if (Volatile.Read(ref _slots[id]) is null)
            {
                exchange.StartRefusal(Header(id));
                exchange.InTable = true;
                Volatile.Write(ref _slots[id], exchange);
            }

            found += Volatile.Read(ref _slots[id]) is null ? 0 : 1;
        }

        return found;
    }

    private static FcFrameHeader Header(ushort id)
    {
        return new FcFrameHeader { RoutingControl = FcRoutingControl.Command, Type = FcFrameHeader.TypeFcp, OriginatorExchangeId = id, ResponderExchangeId = 0xFFFF };
    }
}
