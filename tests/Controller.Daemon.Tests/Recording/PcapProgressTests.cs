// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon.Tests.Recording;

public sealed class PcapProgressTests
{
    [Test]
    public void EachLineGivesTheBytesAndRateSinceTheLastAndTheTotals()
    {
        PcapProgress progress = new("t.pcap", headerBytes: 24);
        string? first = progress.Next(24 + (512L << 20), frames: 1000, rotations: 1, TimeSpan.FromSeconds(10));
        string? second = progress.Next(24 + (768L << 20), frames: 1500, rotations: 3, TimeSpan.FromSeconds(20));
        Assert.That(first, Is.EqualTo("pcap t.pcap: 512.0 MiB in the last 10.0 s (51.2 MiB/s); 512.0 MiB and 1000 frames since start, 1 rotation"));
        Assert.That(second, Is.EqualTo("pcap t.pcap: 256.0 MiB in the last 10.0 s (25.6 MiB/s); 768.0 MiB and 1500 frames since start, 3 rotations"));
    }

    [Test]
    public void AnIntervalWithNothingRecordedGivesNoLine()
    {
        PcapProgress progress = new("t.pcap", headerBytes: 24);
        Assert.That(progress.Next(24, frames: 0, rotations: 0, TimeSpan.FromSeconds(10)), Is.Null, "only the header: nothing recorded");
        Assert.That(progress.Next(1024, frames: 1, rotations: 0, TimeSpan.FromSeconds(20)), Does.Contain("in the last 10.0 s"), "the next line covers only its own interval");
    }
}
