// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;

namespace Controller.HostSim.Tests.Load;

[NonParallelizable]
public sealed class LoadCommandTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("hostsim-load-").FullName;
    }

    [TearDown]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void ARecordedLoadReplaysToTheSameAnswers()
    {
        string trace = Path.Combine(_folder, "load.pcap");
        (int recorded, string recordText, string recordError) = CommandLine.Run(["record", trace, "--seconds", "0.5", "--read-percent", "50", "--block-size", "4k/50:16k/50", "--capacity-mib", "4", "--lun", "0x400104,0x0001", "--lun", "0x421014,0x0005", "--json"]);
        Assert.That(recorded, Is.Zero, "the recorded load passes: " + recordError + recordText);

        (int replayed, string replayText, string replayError) = CommandLine.Run(["replay", trace, "--timing", "asap", "--json"]);

        Assert.That(replayed, Is.Zero, "the replay passes: " + replayError + replayText);
        using JsonDocument load = JsonDocument.Parse(recordText);
        using JsonDocument replay = JsonDocument.Parse(replayText);
        long commands = load.RootElement.GetProperty("reads").GetInt64() + load.RootElement.GetProperty("writes").GetInt64();
        Assert.That(replay.RootElement.GetProperty("compared").GetInt64(), Is.GreaterThan(commands), "every load command is compared, and the READ CAPACITY questions before it");
        Assert.That(replay.RootElement.GetProperty("matched").GetInt64(), Is.EqualTo(replay.RootElement.GetProperty("compared").GetInt64()), "every answer matches: status, sense, read data");
        Assert.That(replay.RootElement.GetProperty("dataNotCompared").GetInt64(), Is.Zero, "a recording serializes overlapping commands: every read's data is compared");
    }

    [Test]
    public void ARecordedLoadWithAMirrorAndSplitsReplaysFromTheTraceAloneToTheSameAnswers()
    {
        string trace = Path.Combine(_folder, "mirrored.pcap");
        (int recorded, string recordText, string recordError) = CommandLine.Run(["record", trace, "--seconds", "1", "--capacity-mib", "32", "--lun", "0x400104,0x0001", "--mirror", "0x400104,0x0001=0x400104,0x0002", "--split-at-seconds", "0.3", "--split-at-seconds", "0.6", "--no-progress"]);
        Assert.That(recorded, Is.Zero, "the recorded load passes: " + recordError + recordText);
        Assert.That(recordText, Does.Contain("0x400104/0x0001 -> 0x400104/0x0002  state PSUS  differential tracks"), "the load names the pair's state");
        Assert.That(recordText, Does.Not.Contain("state 3"), "not its number");

        Controller.Traces.TraceExchangeSet exchanges = Controller.Traces.TraceExchangeReader.Read(trace);
        Assert.That(exchanges.CreatedPairs.Select(p => (p.PVol.ToString(), p.SVol.ToString())), Is.EqualTo(new[] { ("0x400104,0x0001", "0x400104,0x0002") }), "the trace carries the PAIR CREATE");
        Assert.That(exchanges.Exchanges.Count(e => e.CopyManagement?.Opcode == Controller.Wire.CopyManagement.CopyManagementOpcode.AtomicSplit), Is.EqualTo(2), "and both splits");

        (int replayed, string replayText, string replayError) = CommandLine.Run(["replay", trace, "--timing", "asap", "--json"]);

        Assert.That(replayed, Is.Zero, "the replay passes with no --mirror: " + replayError + replayText);
        using JsonDocument replay = JsonDocument.Parse(replayText);
        JsonElement root = replay.RootElement;
        Assert.That(root.GetProperty("compared").GetInt64(), Is.EqualTo(root.GetProperty("exchanges").GetInt64()), "every exchange is compared, the pair commands and the PAIR STATUS polls included");
        Assert.That((root.GetProperty("matched").GetInt64(), root.GetProperty("diverged").GetInt64()), Is.EqualTo((root.GetProperty("compared").GetInt64(), 0L)), "and every answer matches, the last PAIR STATUS's differential tracks included");

        (int doubled, _, string doubledError) = CommandLine.Run(["replay", trace, "--mirror", "0x400104,0x0001=0x400104,0x0002"]);
        Assert.That(doubled, Is.EqualTo(2), "a --mirror of a pair the trace creates is refused");
        Assert.That(doubledError, Does.Contain("the trace creates that pair itself (PAIR CREATE at exchange 2)"), "and the message says why");
    }

    [Test]
    public void ALoadWithSplitsAtGivenTimesSplitsTheMirrorsAndResyncsBetween()
    {
        (int code, string text, string error) = CommandLine.Run(["load", "--seconds", "1", "--capacity-mib", "8", "--lun", "0x400104,0x0001", "--lun", "0x400104,0x0003", "--mirror", "0x400104,0x0001=0x400104,0x0002", "--mirror", "0x400104,0x0003=0x400104,0x0004", "--split-at-seconds", "0.3", "--split-at-seconds", "0.6", "--mechanism", "sequence-cut", "--json"]);

        Assert.That(code, Is.Zero, "the load passes: " + error + text);
        using JsonDocument report = JsonDocument.Parse(text);
        JsonElement splits = report.RootElement.GetProperty("splits");
        Assert.That(splits.GetArrayLength(), Is.EqualTo(2), "two splits");
        Assert.That(splits.EnumerateArray().Select(s => s.GetProperty("answer").GetString()), Is.All.EqualTo("GOOD"), "both GOOD");
        Assert.That(splits[0].GetProperty("resyncSeconds").GetDouble(), Is.GreaterThan(0), "the first is resynced before the second");
        Assert.That(report.RootElement.GetProperty("pairs").EnumerateArray().Select(p => p.GetProperty("pStatus").GetString()), Is.All.EqualTo("PSUS"), "the last split leaves both pairs PSUS");
        // Latency over time in 100 ms buckets: every command in exactly one bucket. (How many buckets hold commands
        // depends on the machine's speed, so it is not asserted: a stalled CI machine may fill only a few.)
        JsonElement[] buckets = [.. report.RootElement.GetProperty("timeline").EnumerateArray()];
        Assert.That(buckets, Is.Not.Empty, "latency over time is reported");
        Assert.That(buckets.Sum(b => b.GetProperty("commands").GetInt64()), Is.EqualTo(report.RootElement.GetProperty("reads").GetInt64() + report.RootElement.GetProperty("writes").GetInt64()), "every command is in one 100 ms bucket");
        Assert.That(buckets.Select(b => Math.Round(b.GetProperty("atSeconds").GetDouble() * 10, 6) % 1), Is.All.EqualTo(0), "buckets start at multiples of 100 ms");
        Assert.That(report.RootElement.GetProperty("writeLatencyMicroseconds").GetProperty("p99_99").GetDouble(), Is.GreaterThan(0), "p50 to p99.99 are reported");
    }

    [TestCase("freeze")]
    [TestCase("sequence-cut")]
    [Category("R0-19")]
    [Category("R0-20")]
    public void DependentWritesWithSplitsAtGivenTimesHaveEveryImageCheckedAndConsistent(string mechanism)
    {
        (int code, string text, string error) = CommandLine.Run(["load", "--dependent", "--seconds", "1", "--capacity-mib", "16", "--queue-depth", "8", "--lun", "0x400104,0x0001", "--lun", "0x400104,0x0004", "--mirror", "0x400104,0x0001=0x400104,0x0002", "--mirror", "0x400104,0x0004=0x421014,0x0005", "--split-at-seconds", "0.3", "--split-at-seconds", "0.6", "--mechanism", mechanism, "--json"]);

        Assert.That(code, Is.Zero, "the load passes: " + error + text);
        using JsonDocument report = JsonDocument.Parse(text);
        JsonElement[] splits = [.. report.RootElement.GetProperty("splits").EnumerateArray()];
        Assert.That(splits, Has.Length.EqualTo(2), "two splits");
        foreach (JsonElement split in splits)
        {
            Assert.That(split.GetProperty("consistent").GetBoolean(), Is.True, "the oracle finds the image consistent");
            Assert.That(split.GetProperty("writesInImage").GetInt32(), Is.InRange(1, split.GetProperty("writesChecked").GetInt32() - 1), "the cut falls inside the run");
        }

        // The chains were held while the oracle checked each image: reported on its own, not as write latency.
        JsonElement pause = report.RootElement.GetProperty("oraclePause");
        Assert.That(pause.GetProperty("count").GetInt32(), Is.EqualTo(2), "one pause per image checked");
        Assert.That(pause.GetProperty("maxMicroseconds").GetDouble(), Is.LessThanOrEqualTo(pause.GetProperty("totalMicroseconds").GetDouble()), "the longest is part of the total");
    }

    [Test]
    public void TheNullTargetReportsTheGeneratorsCostPerCommand()
    {
        (int code, string text, _) = CommandLine.Run(["load", "--null-target", "--seconds", "0.2", "--json"]);

        Assert.That(code, Is.Zero, "the null target answers GOOD");
        using JsonDocument report = JsonDocument.Parse(text);
        Assert.That(report.RootElement.GetProperty("nanosecondsPerCommand").GetDouble(), Is.GreaterThan(0), "the cost is reported");
    }

    [Test]
    public void EmbeddedVolumesAreProvisionedBeforeTheClockUnlessSparse()
    {
        (int code, string text, string error) = CommandLine.Run(["load", "--seconds", "1.2", "--capacity-mib", "8", "--lun", "0x400104,0x0001", "--lun", "0x400104,0x0002", "--json"]);
        (int sparseCode, string sparseText, string sparseError) = CommandLine.Run(["load", "--seconds", "1.2", "--capacity-mib", "8", "--sparse", "--json"]);

        Assert.That(code, Is.Zero, "the provisioned load passes: " + error + text);
        Assert.That(sparseCode, Is.Zero, "the sparse load passes: " + sparseError + sparseText);
        using JsonDocument provisioned = JsonDocument.Parse(text);
        using JsonDocument sparse = JsonDocument.Parse(sparseText);
        JsonElement made = provisioned.RootElement.GetProperty("provisioning");
        Assert.That(made.GetProperty("sparse").GetBoolean(), Is.False, "provisioned by default");
        Assert.That(made.GetProperty("bytes").GetInt64(), Is.EqualTo(2L * 8 << 20), "both volumes' whole capacity, measured from the stores");
        Assert.That(made.GetProperty("seconds").GetDouble(), Is.GreaterThan(0), "and timed");
        JsonElement left = sparse.RootElement.GetProperty("provisioning");
        Assert.That(left.GetProperty("sparse").GetBoolean(), Is.True, "--sparse leaves them sparse");
        Assert.That(left.GetProperty("bytes").GetInt64(), Is.Zero, "nothing provisioned");
        Assert.That(left.GetProperty("sparseReason").GetString(), Is.EqualTo("--sparse"), "and says why");

        // The first whole second is the timeline's first ten 100 ms buckets.
        JsonElement root = provisioned.RootElement;
        long firstBuckets = root.GetProperty("timeline").EnumerateArray().Where(b => b.GetProperty("atSeconds").GetDouble() < 0.95).Sum(b => b.GetProperty("commands").GetInt64());
        Assert.That(root.GetProperty("wholeSeconds").GetInt32(), Is.EqualTo(1), "1.2 s hold one whole second");
        Assert.That(root.GetProperty("firstSecondCommands").GetInt64(), Is.EqualTo(firstBuckets).And.GreaterThan(0), "the first second counts its buckets' commands");
        Assert.That(root.GetProperty("slowestSecondCommands").GetInt64(), Is.EqualTo(firstBuckets), "with one whole second it is also the slowest");
    }

    [Test]
    public void EmbeddedVolumesInAStoreAreFilesThatWriteThroughSyncsInGroupsAndWriteBackDoesNot()
    {
        string store = Path.Combine(_folder, "store");
        (int code, string text, string error) = CommandLine.Run(["load", "--store", store, "--capacity-mib", "4", "--commands", "600", "--queue-depth", "16", "--json"]);

        Assert.That(code, Is.Zero, "the load on files passes: " + error + text);
        using JsonDocument through = JsonDocument.Parse(text);
        JsonElement kept = through.RootElement.GetProperty("store");
        long writes = through.RootElement.GetProperty("writes").GetInt64();
        long syncs = kept.GetProperty("syncs").GetInt64();
        Assert.That(kept.GetProperty("policy").GetString(), Is.EqualTo("write-through"), "write-through by default");
        Assert.That(writes, Is.EqualTo(600), "every command a write");
        Assert.That(syncs, Is.GreaterThan(0).And.AtMost(writes), "write-through syncs, counted by the firmware's group commit (at most one per write)");
        Assert.That(through.RootElement.TryGetProperty("provisioning", out _), Is.False, "files are not provisioned like RAM");
        string file = Path.Combine(store, "ldev-00-01.img");
        byte[] written = File.ReadAllBytes(file);
        Assert.That(written.Length, Is.LessThanOrEqualTo(4 << 20), "one file per LDEV, named as controllerd names it, within the capacity");
        Assert.That(written.Any(b => b != 0), Is.True, "the writes are in the file");

        (int backCode, string backText, string backError) = CommandLine.Run(["load", "--store", store, "--policy", "write-back", "--capacity-mib", "4", "--commands", "300", "--json"]);

        Assert.That(backCode, Is.Zero, "the write-back load on the same files passes: " + backError + backText);
        using JsonDocument back = JsonDocument.Parse(backText);
        Assert.That(back.RootElement.GetProperty("store").GetProperty("policy").GetString(), Is.EqualTo("write-back"));
        Assert.That(back.RootElement.GetProperty("store").GetProperty("syncs").GetInt64(), Is.Zero, "write-back syncs only when asked (the load never sends SYNCHRONIZE CACHE)");
        Assert.That(new FileInfo(file).Length, Is.EqualTo(written.Length).Or.GreaterThan(written.Length), "the existing file was kept, not created again");

        (int smaller, string smallerText, _) = CommandLine.Run(["load", "--store", store, "--capacity-mib", "1", "--commands", "10"]);
        Assert.That(smaller, Is.EqualTo(1), "a file larger than the volume is refused");
        Assert.That(smallerText, Does.Contain("--store: LDEV file '" + file + "' holds"), "naming the file");
    }

    [TestCase(new[] { "load", "--block-size", "4k/60:8k/60" }, "sum to 120, not 100")]
    [TestCase(new[] { "load", "--policy", "write-back" }, "give --store DIR with it")]
    [TestCase(new[] { "load", "--store", "d", "--null-target" }, "--store is about the embedded controller's volumes")]
    [TestCase(new[] { "load", "--store", "d", "--sparse" }, "--store is about the embedded controller's volumes")]
    [TestCase(new[] { "load", "--null-target", "--sparse" }, "--sparse is about the embedded controller's volumes")]
    [TestCase(new[] { "load", "--read-percent", "101" }, "0 to 100 is expected")]
    [TestCase(new[] { "load", "--split-at-seconds", "1" }, "--split-at-seconds needs a --mirror")]
    [TestCase(new[] { "load", "--lun", "0x400104" }, "is not PORT-ID,LUN")]
    [TestCase(new[] { "load", "--null-target", "--record", "x.pcap" }, "sends no frames to record")]
    [TestCase(new[] { "load", "--dependent", "--read-percent", "10" }, "--dependent is writes of one block size")]
    [TestCase(new[] { "record", "x.pcap", "--dependent", "--mirror", "0x400104,0x0001=0x400104,0x0002" }, "--dependent with --mirror cannot be recorded")]
    public void BadLoadArgumentsExitWithTwoAndSayWhy(string[] args, string message)
    {
        (int code, _, string error) = CommandLine.Run(args);

        Assert.That(code, Is.EqualTo(2), "bad usage");
        Assert.That(error, Does.Contain(message), "the message says what is wrong");
    }
}
