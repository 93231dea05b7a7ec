// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Tests.Queues;

/// <summary>What a consumer received; checks no loss, no duplicate and FIFO per producer.</summary>
internal sealed class DeliveryLog
{
    private readonly int[] _nextExpected;
    private readonly List<string> _violations = [];

    public DeliveryLog(int producers)
    {
        _nextExpected = new int[producers];
    }

    public long Received { get; private set; }

    public IReadOnlyList<string> Violations => _violations;

    public void Record(StampedItem item)
    {
        Received++;
        int expected = _nextExpected[item.Producer];
        if (item.Sequence != expected && _violations.Count < 10)
        {
            // Below expected: a duplicate; above: a loss or a reordering.
            _violations.Add("producer " + item.Producer + ": got #" + item.Sequence + ", expected #" + expected);
        }

        _nextExpected[item.Producer] = item.Sequence + 1;
    }

    public void AssertComplete(int perProducer, string context)
    {
        Assert.That(_violations, Is.Empty, "no loss, no duplicate, FIFO per producer: " + context);
        Assert.That(Received, Is.EqualTo((long)perProducer * _nextExpected.Length), "every item delivered exactly once: " + context);
        Assert.That(_nextExpected, Is.All.EqualTo(perProducer), "each producer's last item arrived: " + context);
    }
}
