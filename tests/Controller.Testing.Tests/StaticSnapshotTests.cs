// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Controller.Testing.Tests;

public sealed class StaticSnapshotTests
{
    [Test]
    public void StaticApiMatchesCommittedSnapshot()
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        var report = string.Join(
            "\r\n",
            "Controller status report",
            string.Create(CultureInfo.InvariantCulture, $"generated: {started:O}"),
            $"session: {Guid.NewGuid()}",
            string.Create(CultureInfo.InvariantCulture, $"request id={Environment.ProcessId} started {started:O}"),
            "drives: 4 online, 0 degraded");

        Snapshot.Verify(report, options: new SnapshotOptions().AddScrubber(new Regex(@"id=\d+"), "RequestId"));

        Assert.That(
            Snapshot.GetSnapshotName(),
            Is.EqualTo(nameof(StaticSnapshotTests) + "." + nameof(StaticApiMatchesCommittedSnapshot)),
            "the snapshot is named after the test class and method");
    }
}
