// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using System.Text.RegularExpressions;
using Controller.Addressing;
using Controller.Initiator;
using Controller.Wire;
using Controller.Wire.Pcap;
using Controller.Wire.Transport;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// The stop of controllerd (issue #18, docs/controllerd.md "Stopping"): on SIGTERM every command already accepted
/// is answered before the connections close, a new one is answered NOT READY (02/04/0C), the stores are flushed
/// and the exit code is 0; a stop timeout or a second signal ends it with commands unanswered, exit code 4.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class ControllerdGracefulStopTests
{
    private const int Host = 0x010200;
    private const int SecondHost = 0x010300;
    private const int HoldingHost = 0x010400;
    private const int LoadBlocks = 512;
    private const long LoadLdevBlocks = 64 * 2048;
    private const int Port = 0x400104;

    // An OX_ID the InitiatorPort does not hand out in these tests (it counts up from 1): the held write's.
    private const ushort HeldWrite = 0xE000;
    private static readonly SenseData TargetPortUnavailable = new(0x02, 0x04, 0x0C);
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "controllerd-stop-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task SigtermUnderLoadAnswersEveryCommandSentBeforeItAndExitsZero()
    {
        string config = await WriteConfigAsync();
        string pcap = Path.Combine(_directory, "stop.pcap");
        using DaemonProcess daemon = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0", "--pcap", pcap, "--pcap-limit", "0");
        IPEndPoint endPoint = await daemon.WaitUntilListeningAsync();
        LoadCounts counts = new();
        List<Task> workers = [];
        List<InitiatorPort> hosts = [];
        foreach (int hostId in new[] { Host, SecondHost })
        {
            InitiatorPort host = await InitiatorPort.ConnectAsync(endPoint, hostId);
            await host.LoginAsync(Port, firstBurst: true);
            hosts.Add(host);
            for (int worker = 0; worker < 64; worker++)
            {
                workers.Add(RunWorkerAsync(host, worker, counts));
            }
        }

        // One more host holds a write accepted before the signal (its data is sent only once the stop has begun),
        // so the stop has at least that command in flight whatever the timing of the load.
        RawExchangeTap tap = new();
        await using InitiatorPort holder = await InitiatorPort.ConnectAsync(endPoint, HoldingHost, tap);
        await holder.LoginAsync(Port);
        SendHeldWriteCommand(holder, HoldingHost);
        await tap.TransferReady.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // Under load (500 answers in), then the signal. Every worker that read "not yet" has posted its command
        // before kill starts (the posting count), so "sent before the signal" is exact on this side.
        await counts.Warm.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Interlocked.Exchange(ref counts.Signalled, 1);
        SpinWait spin = default;
        while (Volatile.Read(ref counts.Posting) != 0)
        {
            spin.SpinOnce();
        }

        await daemon.SignalAsync("TERM");
        await daemon.WaitForLineAsync("stop: ");
        SendHeldWriteData(holder, HoldingHost);
        FcpResponse held = await tap.Response.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        int exitCode = await daemon.WaitForExitAsync();
        foreach (InitiatorPort host in hosts)
        {
            try
            {
                await host.DisposeAsync();
            }
            catch (IOException)
            {
                // The daemon has closed the connection: nothing is left to send on it.
            }
        }

        string drained = await daemon.WaitForLineAsync("drained ");
        Match match = DrainedLine().Match(drained);
        // The daemon's own record: every FCP_CMND it received (the tap sees a frame before it is handled) and
        // every FCP_RSP it sent. Unanswered commands of the old stop show here as commands without a response.
        (int commands, int responses) = CountCommandsAndResponses(pcap);
        string summary = "client: " + counts + "; trace: " + commands + " FCP_CMND received, " + responses + " FCP_RSP sent; daemon: " + drained;
        TestContext.Out.WriteLine(summary);
        Assert.Multiple(() =>
        {
            Assert.That(counts.UnansweredBefore, Is.Zero, "every command sent before SIGTERM gets an answer, none is dropped: " + summary);
            Assert.That(counts.AnsweredBefore, Is.EqualTo(counts.SentBefore), "sent before the signal = answered: " + summary);
            Assert.That(responses, Is.EqualTo(commands), "the daemon answered every command it received, before and during the stop: " + summary);
            Assert.That(held.Status, Is.EqualTo(FcpResponse.Good), "the held write, accepted before the signal, completed during the stop");
            Assert.That(counts.Answered + 1, Is.EqualTo(responses), "and every answer it sent reached the hosts before the connections closed: " + summary);
            Assert.That(counts.OtherStatus, Is.Zero, "each answer is GOOD, or NOT READY 02/04/0C for a command the stop refused: " + summary);
            Assert.That(exitCode, Is.Zero, "exit code 0: every command answered, stores flushed: " + string.Join(" | ", daemon.Errors));
            Assert.That(match.Success, Is.True, "the log says how many commands the stop drained: " + drained);
            Assert.That(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "the stop answered the commands in flight, the held write at least: " + drained);
            Assert.That(daemon.Output, Has.Some.Contains("stores flushed: synced 1 LDEV files"), "the stores are flushed after the last answer");
        });
    }

    [Test]
    public async Task DuringTheStopANewCommandIsAnsweredNotReadyAndAWriteWaitingForItsDataStillCompletes()
    {
        string config = await WriteConfigAsync();
        using DaemonProcess daemon = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0", "--stop-timeout", "600");
        IPEndPoint endPoint = await daemon.WaitUntilListeningAsync();
        RawExchangeTap tap = new();
        await using InitiatorPort host = await InitiatorPort.ConnectAsync(endPoint, Host, tap);
        await host.LoginAsync(Port);
        SendHeldWriteCommand(host, Host);
        await tap.TransferReady.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // The write is accepted and waits for its data: the stop must wait for it.
        await daemon.SignalAsync("TERM");
        await daemon.WaitForLineAsync("stop: 1 commands in flight on 1 connections");
        ScsiResult refused = await host.ExecuteAsync(Port, 1, ControllerdExclusiveOwnershipTests.Cdb16(0x88, 0, 8), dataIn: new byte[4096]);
        SendHeldWriteData(host, Host);
        FcpResponse written = await tap.Response.Task.WaitAsync(TimeSpan.FromSeconds(60));
        int exitCode = await daemon.WaitForExitAsync();
        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(FcpResponse.CheckCondition), "a new command during the stop is answered, not dropped: " + refused);
            Assert.That(refused.Sense, Is.EqualTo(TargetPortUnavailable), "NOT READY, LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN UNAVAILABLE STATE: a host takes another path");
            Assert.That(written.Status, Is.EqualTo(FcpResponse.Good), "the write accepted before the signal receives its data and completes during the stop");
            Assert.That(exitCode, Is.Zero, "exit code 0: " + string.Join(" | ", daemon.Output));
            Assert.That(daemon.Output, Has.Some.Contains("drained 1 commands (1 in flight at the signal on 1 connections, 1 new commands refused)"), "the log counts the drain");
        });
    }

    [Test]
    public async Task AStopTimeoutLeavesTheHeldWriteUnansweredNamesItAndExitsFour()
    {
        string config = await WriteConfigAsync();
        using DaemonProcess daemon = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0", "--stop-timeout", "1");
        IPEndPoint endPoint = await daemon.WaitUntilListeningAsync();
        RawExchangeTap tap = new();
        await using InitiatorPort host = await InitiatorPort.ConnectAsync(endPoint, Host, tap);
        await host.LoginAsync(Port);
        SendHeldWriteCommand(host, Host);
        await tap.TransferReady.Task.WaitAsync(TimeSpan.FromSeconds(60));

        int exitCode = await daemon.TerminateAsync();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(4), "exit code 4: stopped with a command unanswered: " + string.Join(" | ", daemon.Output));
            Assert.That(daemon.Output, Has.Some.Contains("stop timeout of 1 s ran out: 1 commands left unanswered"), "the log says the timeout ran out and how many were left");
            Assert.That(daemon.Output, Has.Some.Contains("OX_ID 0xE000 opcode 0x8A LUN 1 (ReceivingData)"), "and names the command: " + string.Join(" | ", daemon.Output));
            Assert.That(tap.Response.Task.IsCompleted, Is.False, "the held write got no answer");
        });
    }

    [Test]
    public async Task ASecondSignalDuringTheStopExitsAtOnceWithFour()
    {
        string config = await WriteConfigAsync();
        using DaemonProcess daemon = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0", "--stop-timeout", "600");
        IPEndPoint endPoint = await daemon.WaitUntilListeningAsync();
        RawExchangeTap tap = new();
        await using InitiatorPort host = await InitiatorPort.ConnectAsync(endPoint, Host, tap);
        await host.LoginAsync(Port);
        SendHeldWriteCommand(host, Host);
        await tap.TransferReady.Task.WaitAsync(TimeSpan.FromSeconds(60));

        await daemon.SignalAsync("TERM");
        await daemon.WaitForLineAsync("stop: 1 commands in flight on 1 connections");
        // SIGTERM again, not SIGINT: a non-interactive shell starts background jobs with SIGINT ignored (POSIX), the
        // runtime keeps it ignored, and a test run launched that way (`.ci/run &`) would wait for nothing.
        await daemon.SignalAsync("TERM");
        int exitCode = await daemon.WaitForExitAsync();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(4), "exit code 4: a second signal stops at once, the held write unanswered: " + string.Join(" | ", daemon.Output));
            Assert.That(daemon.Output, Has.Some.Contains("second signal (SIGTERM) during the stop: exiting at once"), "the log says why it did not wait");
            Assert.That(daemon.Output, Has.None.Contains("drained "), "it did not wait for the drain (the stop timeout is 600 s)");
        });
    }

    [TestCase("x")]
    [TestCase("-1")]
    [TestCase("3601")]
    public async Task ABadStopTimeoutIsABadCommandLine(string value)
    {
        string config = await WriteConfigAsync();
        using DaemonProcess daemon = DaemonProcess.Start("--config", config, "--stop-timeout", value);
        int exitCode = await daemon.WaitForExitAsync();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2), "exit code 2: bad command line");
            Assert.That(daemon.Errors, Has.Some.Contains("--stop-timeout " + value + " is not a number of seconds from 0 to 3600"), string.Join(" | ", daemon.Errors));
        });
    }

    [GeneratedRegex(@"drained (\d+) commands \((\d+) in flight at the signal")]
    private static partial Regex DrainedLine();

    private static (int Commands, int Responses) CountCommandsAndResponses(string path)
    {
        int commands = 0;
        int responses = 0;
        using PcapReader reader = PcapReader.Open(path);
        while (reader.TryReadNext(out PcapRecord record))
        {
            if (FcFrameHeader.TryRead(record.Frame.Span, out FcFrameHeader header) && header.Type == FcFrameHeader.TypeFcp)
            {
                commands += header.RoutingControl == FcRoutingControl.Command ? 1 : 0;
                responses += header.RoutingControl == FcRoutingControl.Response ? 1 : 0;
            }
        }

        return (commands, responses);
    }

    private static async Task RunWorkerAsync(InitiatorPort host, int worker, LoadCounts counts)
    {
        await Task.Yield();
        // 256 KiB transfers to a file store: each keeps its MP busy long enough that many are in the daemon at once.
        byte[] data = new byte[LoadBlocks * 512];
        byte[] back = new byte[LoadBlocks * 512];
        for (long i = 0; ; i++)
        {
            long lba = (((worker * 7919L) + i) * LoadBlocks) % (LoadLdevBlocks - LoadBlocks);
            bool write = (i & 1) == 0;
            Interlocked.Increment(ref counts.Posting);
            bool before = Volatile.Read(ref counts.Signalled) == 0;
            ValueTask<ScsiResult> pending;
            try
            {
                pending = write
                    ? host.ExecuteAsync(Port, 1, ControllerdExclusiveOwnershipTests.Cdb16(0x8A, lba, LoadBlocks), data)
                    : host.ExecuteAsync(Port, 1, ControllerdExclusiveOwnershipTests.Cdb16(0x88, lba, LoadBlocks), dataIn: back);
            }
            catch (InitiatorException)
            {
                Interlocked.Decrement(ref counts.Posting);
                counts.Count(before, null);
                return;
            }

            Interlocked.Decrement(ref counts.Posting);
            ScsiResult? result;
            try
            {
                result = await pending;
            }
            catch (InitiatorException)
            {
                result = null;
            }

            counts.Count(before, result);
            if (result is null)
            {
                return;
            }
        }
    }

    private static void SendHeldWriteCommand(InitiatorPort host, int hostId)
    {
        byte[] command = new byte[FcpCommand.Length];
        Assert.That(FcpCommand.TryWrite(command, 1, ControllerdExclusiveOwnershipTests.Cdb16(0x8A, 0, 8), readData: false, writeData: true, dataLength: 4096), Is.True);
        host.SendRawFrame(Header(hostId, FcRoutingControl.Command, FcFrameControl.Command, 0, 0), command);
    }

    // The write's data, in two frames of 2 KiB as the initiator sends it after FCP_XFER_RDY.
    private static void SendHeldWriteData(InitiatorPort host, int hostId)
    {
        host.SendRawFrame(Header(hostId, FcRoutingControl.Data, FcFrameControl.RelativeOffsetPresent, 0, 0), new byte[2048]);
        host.SendRawFrame(Header(hostId, FcRoutingControl.Data, FcFrameControl.RelativeOffsetPresent | FcFrameControl.EndSequence | FcFrameControl.SequenceInitiative, 1, 2048), new byte[2048]);
    }

    private static FcFrameHeader Header(int hostId, byte routingControl, int frameControl, ushort sequenceCount, uint offset)
    {
        return new FcFrameHeader
        {
            RoutingControl = routingControl,
            DestinationId = new PortId(Port),
            SourceId = new PortId((uint)hostId),
            Type = FcFrameHeader.TypeFcp,
            FrameControl = frameControl,
            SequenceId = (byte)(routingControl == FcRoutingControl.Data ? 1 : 0),
            SequenceCount = sequenceCount,
            OriginatorExchangeId = HeldWrite,
            ResponderExchangeId = 0xFFFF,
            Parameter = offset,
        };
    }

    private async Task<string> WriteConfigAsync()
    {
        string path = Path.Combine(_directory, "controllerd.conf");
        await File.WriteAllLinesAsync(path, ["store file \"" + Path.Combine(_directory, "store") + "\"", "ldev 00:01 size 64MiB", "port 0x400104 open", "lun 0x400104 0x0001 00:01"]);
        return path;
    }

    // What the client counted, split at the moment it sent the signal.
    private sealed class LoadCounts
    {
        public int Signalled;
        public int Posting;
        private int _sentBefore;
        private int _answeredBefore;
        private int _unansweredBefore;
        private int _good;
        private int _notReady;
        private int _otherStatus;
        private int _unansweredAfter;

        public TaskCompletionSource Warm { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int SentBefore => Volatile.Read(ref _sentBefore);

        public int AnsweredBefore => Volatile.Read(ref _answeredBefore);

        public int UnansweredBefore => Volatile.Read(ref _unansweredBefore);

        public int OtherStatus => Volatile.Read(ref _otherStatus);

        public int Answered => Volatile.Read(ref _good) + Volatile.Read(ref _notReady) + Volatile.Read(ref _otherStatus);

        public void Count(bool before, ScsiResult? result)
        {
            if (before)
            {
                Interlocked.Increment(ref _sentBefore);
                Interlocked.Increment(ref result is null ? ref _unansweredBefore : ref _answeredBefore);
            }
            else if (result is null)
            {
                Interlocked.Increment(ref _unansweredAfter);
            }

            if (result is ScsiResult answer)
            {
                int counted = Interlocked.Increment(ref answer.IsGood ? ref _good : ref answer.Status == FcpResponse.CheckCondition && answer.Sense == TargetPortUnavailable ? ref _notReady : ref _otherStatus);
                if (answer.IsGood && counted == 500)
                {
                    Warm.TrySetResult();
                }
            }
        }

        public override string ToString()
        {
            return "sent before the signal " + SentBefore + ", answered " + AnsweredBefore + ", unanswered " + UnansweredBefore + "; GOOD " + _good + ", NOT READY " + _notReady + ", other " + _otherStatus + "; after the signal unanswered (connection closed) " + _unansweredAfter;
        }
    }

    // Sees the frames of the held write (an OX_ID the InitiatorPort does not know): its FCP_XFER_RDY and FCP_RSP.
    private sealed class RawExchangeTap : IFrameTap
    {
        public TaskCompletionSource TransferReady { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<FcpResponse> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnFrame(ReadOnlySpan<byte> fcFrame)
        {
            if (!FcFrameHeader.TryRead(fcFrame, out FcFrameHeader header) || header.OriginatorExchangeId != HeldWrite)
            {
                return;
            }

            if (header.RoutingControl == FcRoutingControl.TransferReady)
            {
                TransferReady.TrySetResult();
            }
            else if (header.RoutingControl == FcRoutingControl.Response && FcpResponse.TryRead(fcFrame[FcFrameHeader.Length..], out FcpResponse response, out _))
            {
                Response.TrySetResult(response);
            }
        }
    }
}
