// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.HostSim.Loopback;

namespace Controller.HostSim.Tests.Loopback;

public sealed class LoopbackCommandTests
{
    [TestCase(false, TestName = "AShortLoopbackRunOverTcpAnswersEveryWriteGood")]
    [TestCase(true, TestName = "AShortLoopbackRunOverPipesAnswersEveryWriteGood")]
    public async Task AShortRunAnswersEveryWriteGood(bool inProcess)
    {
        LoopbackReport report = await LoopbackRun.RunAsync(new LoopbackOptions { Seconds = 0.5, WarmupSeconds = 0.1, QueueDepth = 8, InProcess = inProcess, SpanBlocks = 8192 });
        Assert.Multiple(() =>
        {
            Assert.That(report.Passed, Is.True, "no write failed: " + report.FirstError);
            Assert.That(report.Commands, Is.GreaterThan(0), "writes were measured");
            Assert.That(report.Latency.Count, Is.EqualTo(report.Commands), "one latency per measured write");
            Assert.That(report.ToJson(), Does.Contain("\"p99Microseconds\""), "the JSON carries the percentiles");
        });
    }
}
