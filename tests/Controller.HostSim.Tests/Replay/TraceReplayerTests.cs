// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.HostSim.Replay;
using Controller.Testing;
using Controller.Traces;
using Controller.Traces.Formats;
using Controller.Wire;
using Controller.Wire.Pcap;
using Controller.Wire.Scsi;

namespace Controller.HostSim.Tests.Replay;

[NonParallelizable]
public sealed class TraceReplayerTests
{
    private static readonly TraceVolume s_tpccPVol = new(0x400104, 0x0001);
    private static readonly TraceVolume s_tpccSVol = new(0x400104, 0x0101);
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("hostsim-replay-").FullName;
    }

    [TearDown]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task RecordThenReplayReproducesEveryAnswer()
    {
        string recording = await RecordFioAsync();

        TraceExchangeSet recorded = TraceExchangeReader.Read(recording);
        ReplayReport replay = await TraceReplayer.RunAsync(recorded, new ReplayOptions { Timing = ReplayTiming.Asap });

        Assert.That(recorded.Responses, Is.EqualTo(3_036), "the recording holds an answer for every command of the fio trace");
        Assert.That(recorded.Exchanges.FindAll(e => e.DataOut is not null), Has.Count.EqualTo(905), "and the data of every write");
        Assert.That(replay.Failure, Is.Null, "the replay runs to the end");
        Assert.That(replay.Compared, Is.EqualTo(3_036), "every answer is compared");
        Assert.That(replay.Matched, Is.EqualTo(3_036), "and every one matches: status, sense and read-data checksum");
        Assert.That(replay.DataNotCompared, Is.Zero, "a replay serializes conflicting commands, so its recording has no racing reads");
        Assert.That(replay.Passed, Is.True, "the verdict");
    }

    [Test]
    public async Task AReplayInOriginalTimingReproducesTheSameAnswers()
    {
        TraceExchangeSet recorded = TraceExchangeReader.Read(await RecordFioAsync());

        ReplayReport replay = await TraceReplayer.RunAsync(recorded, new ReplayOptions { Timing = ReplayTiming.Original, QueueDepth = 4 });

        Assert.That((replay.Compared, replay.Matched), Is.EqualTo((3_036L, 3_036L)), "the answers do not depend on the timing or the queue depth");
    }

    [Test]
    public async Task AnAnswerThatDiffersIsTheFirstDivergenceByExchangeNumber()
    {
        string recording = await RecordFioAsync();
        TraceExchange victim = TraceExchangeReader.Read(recording).Exchanges[1_000];
        string tampered = Path.Combine(_folder, "tampered.pcap");
        RewriteStatus(recording, tampered, victim.ResponseRecord, FcpResponse.Busy);

        ReplayReport replay = await TraceReplayer.RunAsync(TraceExchangeReader.Read(tampered), new ReplayOptions { Timing = ReplayTiming.Asap });

        Assert.That(replay.Diverged, Is.EqualTo(1), "exactly the tampered answer differs");
        Assert.That(replay.FirstDivergence!.Exchange.Number, Is.EqualTo(victim.Number), "named by its exchange number");
        Assert.That(replay.FirstDivergence.Description, Does.StartWith("exchange 1001 (frame " + victim.CommandRecord + ", ").And.Contain("recorded BUSY").And.Contain("replayed GOOD"), "with its frame and both answers");
        Assert.That(replay.Passed, Is.False, "a divergence fails the replay");
    }

    [Test]
    [Category("R0-8")]
    public async Task TpccReplayWithASplitInTheMiddleMarksExactlyTheTracksWrittenAfterIt()
    {
        string imported = Path.Combine(_folder, "tpcc.pcap");
        using (TraceReader reader = TraceFormats.Open(TestData.Trace("mqsim_tpcc-small.trace"), TraceFormat.DiskSim))
        using (PcapWriter writer = new(File.Create(imported)))
        {
            new TraceImporter(DeviceMap.Automatic()).Import(reader, TraceFormat.DiskSim, writer);
        }

        TraceExchangeSet trace = TraceExchangeReader.Read(imported);
        long splitAt = (trace.Exchanges.Count / 2) + 1;
        ReplayReport replay = await TraceReplayer.RunAsync(trace, new ReplayOptions
        {
            Timing = ReplayTiming.Asap,
            Mirrors = [(s_tpccPVol, s_tpccSVol)],
            SplitAt = [splitAt],
        });

        // 64 KiB tracks: 128 blocks of 512 bytes.
        HashSet<long> tracksWrittenAfter = [];
        foreach (TraceExchange exchange in trace.Exchanges)
        {
            if (exchange.Number >= splitAt && exchange.IsWrite && exchange.Volume == s_tpccPVol)
            {
                for (long track = exchange.Lba / 128; track <= (exchange.Lba + exchange.Blocks - 1) / 128; track++)
                {
                    tracksWrittenAfter.Add(track);
                }
            }
        }

        Assert.That(replay.Failure, Is.Null, "the replay runs to the end");
        Assert.That(replay.Splits, Has.Count.EqualTo(1), "one split");
        Assert.That(replay.Splits[0].Good, Is.True, "the split answers GOOD: " + replay.Splits[0].Answer);
        Assert.That(replay.Pairs, Has.Count.EqualTo(1), "the pair's row is read back");
        Assert.That(tracksWrittenAfter, Is.Not.Empty, "the second half of TPC-C writes to the P-VOL");
        Assert.That(replay.Pairs[0].DifferentialTracks, Is.EqualTo((ulong)tracksWrittenAfter.Count), "the bitmap counts each distinct track written after the split, once");
        Assert.That(replay.Pairs[0].State, Is.EqualTo((byte)Firmware.PairVocabulary.PairState.Psus), "and the pair stays split");
    }

    [Test]
    public void AnAnswerNotGoodWithNothingRecordedToCompareFailsTheReplayAndIsNamed()
    {
        string trace = WriteUnsupportedCommands();

        (int code, string text, string error) = CommandLine.Run(["replay", trace, "--timing", "asap"]);
        (int jsonCode, string json, _) = CommandLine.Run(["replay", trace, "--timing", "asap", "--json"]);

        Assert.That(code, Is.EqualTo(1), "answers not GOOD fail the replay: " + error + text);
        Assert.That(text, Does.Contain("answers not GOOD    2, 2 with no recorded answer; first exchange 2 (frame 2, 0x400104,0x0001 opcode 0x1D): CHECK CONDITION 05/20/00"), "the report counts them and names the first");
        Assert.That(text, Does.Contain("FAILED: answers not GOOD with nothing recorded to compare (--allow-not-good if they are expected)"), "and says why it failed");
        Assert.That(jsonCode, Is.EqualTo(1), "the same with --json");
        using System.Text.Json.JsonDocument report = System.Text.Json.JsonDocument.Parse(json);
        Assert.That(report.RootElement.GetProperty("notGoodUnrecorded").GetInt64(), Is.EqualTo(2), "two answers not GOOD");
        Assert.That(report.RootElement.GetProperty("firstNotGoodUnrecorded").GetProperty("exchange").GetInt64(), Is.EqualTo(2), "the first is exchange 2");
        Assert.That(report.RootElement.GetProperty("passed").GetBoolean(), Is.False, "not passed");
    }

    [Test]
    public void AllowNotGoodAcceptsAnswersNotGoodWithNothingRecordedToCompare()
    {
        string trace = WriteUnsupportedCommands();

        (int code, string text, string error) = CommandLine.Run(["replay", trace, "--timing", "asap", "--allow-not-good"]);

        Assert.That(code, Is.Zero, "the user said they are expected: " + error + text);
        Assert.That(text, Does.Contain("2 with no recorded answer (allowed: --allow-not-good); first exchange 2"), "they are still counted and named");
    }

    // An imported-style trace (commands only, no answers): a WRITE, then two SEND DIAGNOSTIC (0x1D), which the
    // controller does not support, then a READ.
    private string WriteUnsupportedCommands()
    {
        string path = Path.Combine(_folder, "unsupported.pcap");
        TraceVolume volume = new(0x400104, 0x0001);
        byte[] write = new byte[16];
        BlockCdb.Write(write, BlockCdb.Write16, 0, 1);
        byte[] read = new byte[16];
        BlockCdb.Write(read, BlockCdb.Read16, 0, 1);
        byte[] diagnostic = [0x1D, 0, 0, 0, 0, 0];
        using PcapWriter writer = new(File.Create(path));
        byte[] frame = new byte[CommandFrame.Length];
        (byte[] Cdb, bool Read, bool Write, uint Length)[] commands = [(write, false, true, 512), (diagnostic, false, false, 0), (diagnostic, false, false, 0), (read, true, false, 512)];
        for (int i = 0; i < commands.Length; i++)
        {
            CommandFrame.Write(frame, TraceImporter.DefaultInitiatorPortId, volume, (ushort)(i + 1), commands[i].Cdb, commands[i].Read, commands[i].Write, commands[i].Length);
            writer.WriteFrame(i * 1000L, frame);
        }

        return path;
    }

    private async Task<string> RecordFioAsync()
    {
        string imported = Path.Combine(_folder, "fio.pcap");
        using (TraceReader reader = TraceFormats.Open(TestData.Trace("fio-3.33_randrw_v3.iolog"), TraceFormat.FioIolog))
        using (PcapWriter writer = new(File.Create(imported)))
        {
            new TraceImporter(DeviceMap.Automatic()).Import(reader, TraceFormat.FioIolog, writer);
        }

        string recording = Path.Combine(_folder, "fio-recorded.pcap");
        ReplayReport first = await TraceReplayer.RunAsync(TraceExchangeReader.Read(imported), new ReplayOptions { Timing = ReplayTiming.Asap, RecordPath = recording });
        Assert.That(first.Failure, Is.Null, "the imported trace replays");
        Assert.That(first.NotGood, Is.Zero, "every command of the imported trace answers GOOD");
        return recording;
    }

    // Copies a trace, setting the SCSI status of one FCP_RSP (byte 11 of its payload).
    private static void RewriteStatus(string source, string destination, long responseRecord, byte status)
    {
        using PcapReader reader = PcapReader.Open(source);
        using PcapWriter writer = new(File.Create(destination));
        while (reader.TryReadNext(out PcapRecord record))
        {
            byte[] frame = record.Frame.ToArray();
            if (record.Number == responseRecord)
            {
                frame[FcFrameHeader.Length + 11] = status;
            }

            writer.WriteFrame(record.TimestampNanoseconds, frame);
        }
    }
}
