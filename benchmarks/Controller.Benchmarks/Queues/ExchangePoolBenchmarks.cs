// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Benchmarks.Queues;

/// <summary>
/// The exchange pools of <c>InitiatorPort</c> and <c>FcpRemotePath</c> (issue #20): a queue depth of exchanges taken
/// and given back, as a host with that many commands outstanding does per command. Baseline: the
/// <see cref="ConcurrentBag{T}"/> they used before; against it the <see cref="DefaultObjectPool{T}"/> with a
/// <see cref="PooledObjectPolicy{T}"/> they use now (retaining as many as can be outstanding).
/// </summary>
[MemoryDiagnoser]
public class ExchangePoolBenchmarks
{
    private readonly ConcurrentBag<Exchange> _bag = [];
    private readonly DefaultObjectPool<Exchange> _pool = new(new Policy(), 0xF000);
    private readonly Exchange[] _taken = new Exchange[64];

    [Params(1, 32)]
    public int QueueDepth { get; set; }

    [Benchmark(Baseline = true, OperationsPerInvoke = 64)]
    public int ConcurrentBagTakeAndAdd()
    {
        int rounds = 64 / QueueDepth;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < QueueDepth; i++)
            {
                if (!_bag.TryTake(out Exchange? exchange))
                {
                    exchange = new Exchange();
                }

                _taken[i] = exchange;
            }

            for (int i = 0; i < QueueDepth; i++)
            {
                _bag.Add(_taken[i]);
            }
        }

        return _taken[0].Id;
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public int ObjectPoolGetAndReturn()
    {
        int rounds = 64 / QueueDepth;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < QueueDepth; i++)
            {
                _taken[i] = _pool.Get();
            }

            for (int i = 0; i < QueueDepth; i++)
            {
                _pool.Return(_taken[i]);
            }
        }

        return _taken[0].Id;
    }

    public sealed class Exchange
    {
        public int Id { get; set; }
    }

    private sealed class Policy : PooledObjectPolicy<Exchange>
    {
        public override Exchange Create()
        {
            return new Exchange();
        }

        public override bool Return(Exchange obj)
        {
            return true;
        }
    }
}
