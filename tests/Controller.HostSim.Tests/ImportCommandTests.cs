// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;
using Controller.Testing;

namespace Controller.HostSim.Tests;

[NonParallelizable]
public sealed class ImportCommandTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("hostsim-import-").FullName;
    }

    [TearDown]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void ImportDetectsTheFormatAndReportsTheCountsAsJson()
    {
        string output = Path.Combine(_folder, "tpcc.pcap");

        (int code, string text, string error) = CommandLine.Run(["import", TestData.Trace("mqsim_tpcc-small.trace"), output, "--json"]);

        Assert.That(code, Is.Zero, "a good trace imports: " + error);
        using JsonDocument report = JsonDocument.Parse(text);
        Assert.That(report.RootElement.GetProperty("format").GetString(), Is.EqualTo("disksim"), "detected from the first line");
        Assert.That(report.RootElement.GetProperty("commands").GetInt64(), Is.EqualTo(6_999), "SOURCES.md: 6,999 requests");
        Assert.That(report.RootElement.GetProperty("devices").GetArrayLength(), Is.EqualTo(16), "TPC-C small spans 16 devices, each its own LUN");
        Assert.That(new FileInfo(output).Length, Is.GreaterThan(6_999 * 56), "the pcap holds a frame per command");
    }

    [Test]
    public void AMalformedLineExitsWithTwoNamingFileAndLineAndLeavesNoOutput()
    {
        string trace = Path.Combine(_folder, "bad.trace");
        File.WriteAllText(trace, "100 0 8 8 0\n200 0 16 8 9\n");
        string output = Path.Combine(_folder, "bad.pcap");

        (int code, _, string error) = CommandLine.Run(["import", trace, output, "--format", "disksim"]);

        Assert.That(code, Is.EqualTo(2), "a bad input file is exit code 2");
        Assert.That(error, Does.Contain(trace + ":2: type '9' is neither 0 (write) nor 1 (read)"), "file:line: problem");
        Assert.That(File.Exists(output), Is.False, "no half-written trace is left behind");
    }

    [Test]
    public void SkipBadCountsTheMalformedLinesAndImportsTheRest()
    {
        string trace = Path.Combine(_folder, "bad.trace");
        File.WriteAllText(trace, "100 0 8 8 0\n200 0 16 8 9\n300 1 0 8 1\n");

        (int code, string text, _) = CommandLine.Run(["import", trace, Path.Combine(_folder, "ok.pcap"), "--format", "disksim", "--skip-bad", "--map", "0=0x400104,0x0001", "--map", "1=0x421014,0x0005"]);

        Assert.That(code, Is.Zero, "skipping is success");
        Assert.That(text, Does.Contain("bad lines skipped   1").And.Contain(trace + ":2: type '9'"), "the skipped line is counted and shown");
        Assert.That(text, Does.Contain("1 -> 0x421014,0x0005"), "the map places device 1");
    }

    [Test]
    public void AFileThatIsNoKnownFormatAsksForTheFormat()
    {
        string trace = Path.Combine(_folder, "mystery.txt");
        File.WriteAllText(trace, "hello world\n");

        (int code, _, string error) = CommandLine.Run(["import", trace, Path.Combine(_folder, "x.pcap")]);

        Assert.That(code, Is.EqualTo(2), "bad usage");
        Assert.That(error, Does.Contain("name it with --format"), "the user is told how to go on");
    }
}
