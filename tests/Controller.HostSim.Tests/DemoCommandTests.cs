// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;
using Controller.Testing;

namespace Controller.HostSim.Tests;

[NonParallelizable]
public sealed class DemoCommandTests
{
    [Test]
    [Category("R0-13")]
    [Category("R0-20")]
    public void TheDemoRunsEndToEndInFcFramesAndEveryVerdictIsConsistent()
    {
        string pcap = Path.Combine(Path.GetTempPath(), "demo-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            (int code, string output, string error) = CommandLine.Run(["demo", "--writes", "20000", "--record", pcap, "--json"]);

            Assert.That(code, Is.Zero, "a consistent demo exits 0: " + error);
            using JsonDocument report = JsonDocument.Parse(output);
            JsonElement root = report.RootElement;
            Assert.That(root.GetProperty("consistent").GetBoolean(), Is.True, "every verdict is consistent");
            JsonElement[] splits = [.. root.GetProperty("splits").EnumerateArray()];
            Assert.That(splits.Select(s => s.GetProperty("mechanism").GetString()), Is.EqualTo(new[] { "freeze", "sequence-cut" }), "one split by name per mechanism");
            foreach (JsonElement split in splits)
            {
                Assert.That(split.GetProperty("members").GetInt32(), Is.EqualTo(2), "AUXSET1 has the two FIG 7 pairs");
                Assert.That(split.GetProperty("latencyMicroseconds").GetDouble(), Is.GreaterThan(0), "the split latency is reported");
                Assert.That(split.GetProperty("consistent").GetBoolean(), Is.True, "the oracle's verdict");
                Assert.That(split.TryGetProperty("holdMaxMicroseconds", out _), Is.True, "hold times are reported");
            }

            Assert.That(root.GetProperty("hostWriteLatencyMicroseconds").GetProperty("count").GetInt64(), Is.GreaterThan(4_000), "the host writes' latency percentiles");
            string[] frames = Tshark.Read(pcap, "-Y", "fcp");
            Assert.That(frames, Has.Some.Contains("Write(16)"), "the recorded trace shows the host writes");
            Assert.That(frames, Has.Some.Contains("Read(16)"), "and the reads of the split images");
            Assert.That(frames, Has.Some.Contains("0xca"), "and ATOMIC SPLIT BY NAME (0xCA)");
        }
        finally
        {
            File.Delete(pcap);
        }
    }
}
