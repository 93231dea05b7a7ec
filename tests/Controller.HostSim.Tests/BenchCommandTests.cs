// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;

namespace Controller.HostSim.Tests;

/// <summary><c>hostsim bench split</c> runs end to end (a short run: the numbers come from the long one, docs/performance.md).</summary>
[NonParallelizable]
public sealed class BenchCommandTests
{
    [Test]
    public void AShortSplitBenchReportsEveryMechanismAndPasses()
    {
        (int code, string output, string error) = CommandLine.Run(["bench", "split", "--members", "1,8", "--splits", "5", "--baseline", "0.2", "--json"]);
        Assert.That(code, Is.Zero, "every split succeeded and every host write was answered Good: " + error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement[] runs = [.. json.RootElement.GetProperty("runs").EnumerateArray()];
        Assert.Multiple(() =>
        {
            Assert.That(runs, Has.Length.EqualTo(4), "two member counts times two mechanisms");
            Assert.That(runs.Select(r => r.GetProperty("splits").GetInt32()), Is.All.EqualTo(5), "--splits is obeyed");
            Assert.That(runs.Where(r => r.GetProperty("mechanism").GetString() == "sequence-cut").Select(r => r.GetProperty("heldWritesMax").GetInt32()), Is.All.Zero, "a sequence cut holds no write");
            Assert.That(runs.Select(r => r.GetProperty("splitLatencyMicroseconds").GetProperty("p50").GetDouble()), Is.All.GreaterThan(0), "split latency is measured");
            Assert.That(runs.Select(r => r.GetProperty("writeLatencyWithoutSplitsMicroseconds").GetProperty("count").GetInt64()), Is.All.GreaterThan(0), "the baseline load ran");
            Assert.That(runs.Select(r => r.GetProperty("commitMicroseconds").GetProperty("p50").GetDouble()), Is.All.GreaterThan(0), "the commit is timed (from each split's telemetry)");
            Assert.That(runs.Where(r => r.GetProperty("mechanism").GetString() == "sequence-cut").Select(r => r.GetProperty("releaseMicroseconds").GetProperty("max").GetDouble()), Is.All.Zero, "a cut releases nothing");
            Assert.That(runs.Select(r => r.GetProperty("allocatedBytesPerSplit").GetInt64()), Is.All.GreaterThan(0), "allocation is measured (a split answers with a result object)");
            Assert.That(runs.Select(r => r.GetProperty("gcPauseMicroseconds").GetDouble()), Is.All.GreaterThanOrEqualTo(0), "and the GC's pause reported");
        });
    }

    [TestCase(new[] { "bench" }, "'split'")]
    [TestCase(new[] { "bench", "split", "--members", "0" }, "bad argument '--members'")]
    [TestCase(new[] { "bench", "split", "--mechanism", "snapshot" }, "bad argument '--mechanism'")]
    [TestCase(new[] { "bench", "split", "--members", "1", "--splits", "1", "--samples", "/nonexistent-dir/samples.csv" }, "cannot write --samples /nonexistent-dir/samples.csv")]
    public void BadUsageExitsWithTwoAndSaysWhy(string[] args, string message)
    {
        (int code, _, string error) = CommandLine.Run(args);
        Assert.That(code, Is.EqualTo(2), "exit code for bad usage");
        Assert.That(error, Does.Contain(message), "the error says what was wrong");
    }
}
