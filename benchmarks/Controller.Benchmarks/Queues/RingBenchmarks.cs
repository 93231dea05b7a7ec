// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Controller.Firmware.Queues;

namespace Controller.Benchmarks.Queues;

/// <summary>
/// Two producer threads and one consumer through a 1024-slot bounded queue: the MPSC ring against a
/// bounded <see cref="Channel"/> (single reader), the BCL's answer to the same problem. One operation is
/// one item enqueued and dequeued. Producers are persistent threads released by a barrier per invocation,
/// so thread start-up is not measured and nothing is allocated per item.
/// </summary>
[MemoryDiagnoser]
public class RingBenchmarks
{
    private const int Items = 1 << 18;
    private const int Capacity = 1024;
    private const int Producers = 2;

    private MpscRing<QueuedCommand> _ring = null!;
    private Channel<QueuedCommand> _channel = null!;
    private Barrier _start = null!;
    private Thread[] _threads = null!;
    private volatile bool _useRing;
    private volatile bool _stop;

    [GlobalSetup(Target = nameof(MpscRing))]
    public void SetupRing()
    {
        _useRing = true;
        Setup();
    }

    [GlobalSetup(Target = nameof(BoundedChannel))]
    public void SetupChannel()
    {
        _useRing = false;
        Setup();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _start.SignalAndWait();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _start.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    public long BoundedChannel()
    {
        _start.SignalAndWait();
        ChannelReader<QueuedCommand> reader = _channel.Reader;
        long sum = 0;
        SpinWait spin = default;
        for (int received = 0; received < Items;)
        {
            if (reader.TryRead(out QueuedCommand command))
            {
                sum += command.Tag;
                received++;
            }
            else
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public long MpscRing()
    {
        _start.SignalAndWait();
        MpscRing<QueuedCommand> ring = _ring;
        long sum = 0;
        SpinWait spin = default;
        for (int received = 0; received < Items;)
        {
            if (ring.TryDequeue(out QueuedCommand command))
            {
                sum += command.Tag;
                received++;
            }
            else
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        return sum;
    }

    private void Setup()
    {
        _stop = false;
        _ring = new MpscRing<QueuedCommand>(Capacity);
        _channel = Channel.CreateBounded<QueuedCommand>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _start = new Barrier(Producers + 1);
        _threads = new Thread[Producers];
        for (int p = 0; p < Producers; p++)
        {
            _threads[p] = new Thread(Produce) { IsBackground = true, Name = "producer " + p };
            _threads[p].Start();
        }
    }

    private void Produce()
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stop)
            {
                return;
            }

            SpinWait spin = default;
            for (int i = 0; i < Items / Producers; i++)
            {
                QueuedCommand command = new(i * 8, i);
                if (_useRing)
                {
                    while (!_ring.TryEnqueue(command))
                    {
                        spin.SpinOnce(sleep1Threshold: -1);
                    }
                }
                else
                {
                    while (!_channel.Writer.TryWrite(command))
                    {
                        spin.SpinOnce(sleep1Threshold: -1);
                    }
                }
            }
        }
    }
}
