// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Tests;

[NonParallelizable]
public sealed class ProgramTests
{
    [TestCase(new[] { "frobnicate" }, 2, "unknown command 'frobnicate'")]
    [TestCase(new[] { "demo", "--writes", "0" }, 2, "bad argument '--writes'")]
    [TestCase(new[] { "demo", "--writes" }, 2, "bad argument '--writes'")]
    [TestCase(new[] { "demo", "--bogus" }, 2, "bad argument '--bogus'")]
    public void BadUsageExitsWithTwoAndSaysWhy(string[] args, int exitCode, string message)
    {
        (int code, _, string error) = CommandLine.Run(args);
        Assert.That(code, Is.EqualTo(exitCode), "exit code for bad usage");
        Assert.That(error, Does.Contain(message), "the error says what was wrong");
    }

    [Test]
    public void DemoExitsWithZeroWhenConsistent()
    {
        (int code, string output, _) = CommandLine.Run(["demo", "--writes", "2000"]);
        Assert.That(code, Is.Zero, "a consistent demo exits 0");
        Assert.That(output, Does.Contain("verdict             consistent"), "the text report ends with the verdict");
    }
}
