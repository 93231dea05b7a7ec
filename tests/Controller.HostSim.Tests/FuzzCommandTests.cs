// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;

namespace Controller.HostSim.Tests;

[NonParallelizable]
public sealed class FuzzCommandTests
{
    [Test]
    public void FuzzWithJsonExitsWithZeroAndPrintsOnePassingObject()
    {
        (int code, string output, _) = CommandLine.Run(["fuzz", "--inputs", "2000", "--json"]);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, "a run that holds every invariant exits 0");
            Assert.That(output, Does.Contain("\"passed\":true"), "and says so");
            Assert.That(root.GetProperty("inputs").GetInt64(), Is.EqualTo(2000), "--inputs is obeyed");
            Assert.That(root.GetProperty("exceptions").GetInt32(), Is.Zero, "no exception escaped");
            Assert.That(root.GetProperty("canaryIntact").GetBoolean(), Is.True, "the canary survived");
            Assert.That(root.GetProperty("stillServing").GetBoolean(), Is.True, "the target still serves");
            Assert.That(root.GetProperty("seconds").GetDouble(), Is.GreaterThan(0), "the time is reported");
            Assert.That(root.GetProperty("mode").GetString(), Is.EqualTo("deterministic"), "the default mode");
            Assert.That(root.GetProperty("schedulerSteps").GetInt64(), Is.GreaterThan(0), "the controller ran on the run's scheduler");
        });
    }

    [Test]
    public void RealTimeRunsTheControllerOnThreadsAndStillHoldsEveryInvariant()
    {
        (int code, string output, _) = CommandLine.Run(["fuzz", "--inputs", "2000", "--real-time", "--json"]);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, "a run that holds every invariant exits 0: " + output);
            Assert.That(root.GetProperty("passed").GetBoolean(), Is.True, "and says so");
            Assert.That(root.GetProperty("mode").GetString(), Is.EqualTo("real time"), "--real-time is obeyed");
            Assert.That(root.GetProperty("schedulerSteps").GetInt64(), Is.Zero, "no steps are counted on threads");
        });
    }

    [TestCase(new[] { "fuzz", "--inputs", "0" }, "bad argument '--inputs'")]
    [TestCase(new[] { "fuzz", "--inputs" }, "bad argument '--inputs'")]
    [TestCase(new[] { "fuzz", "--seed", "-1" }, "bad argument '--seed'")]
    [TestCase(new[] { "fuzz", "--bogus" }, "bad argument '--bogus'")]
    public void BadUsageExitsWithTwoAndSaysWhy(string[] args, string message)
    {
        (int code, _, string error) = CommandLine.Run(args);
        Assert.That(code, Is.EqualTo(2), "exit code for bad usage");
        Assert.That(error, Does.Contain(message), "the error says what was wrong");
    }
}
