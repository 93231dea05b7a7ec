// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Net;
using Controller.Initiator;
using Controller.Testing;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// The write cache over a real controllerd (issue #18): the start-up log says what survives, MODE SENSE's WCE is the
/// configured policy, SYNCHRONIZE CACHE and FUA writes answer GOOD, a clean stop syncs, the data is in the LDEV file,
/// and tshark decodes the new commands.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DurableStoreEndToEndTests
{
    private const int Host = 0x010200;
    private const int Port = 0x400104;
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "controllerd-durable-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [TestCase("write-back", true)]
    [TestCase("write-through", false)]
    [TestCase("", false)]
    public async Task AFileStoreReportsItsPolicyHonoursSyncAndFuaAndSyncsAtACleanStop(string policy, bool wce)
    {
        string config = Path.Combine(_directory, "controllerd.conf");
        File.WriteAllText(config, "store file store " + policy + "\nldev 00:01 size 1MiB\nport 0x400104 open\nlun 0x400104 0x0001 00:01\n");
        string pcap = Path.Combine(_directory, "trace.pcap");
        using DaemonProcess daemon = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0", "--pcap", pcap);
        IPEndPoint endPoint = await daemon.WaitUntilListeningAsync();

        byte[] data = new byte[4096];
        new Random(18).NextBytes(data);
        byte[] mode = new byte[64];
        byte[] fua = Cdb16(0x8A, 16, 8);
        fua[1] = 0x08;
        ScsiResult sense;
        ScsiResult written;
        ScsiResult synced;
        await using (InitiatorPort host = await InitiatorPort.ConnectAsync(endPoint, Host))
        {
            await host.LoginAsync(Port);
            sense = await host.ExecuteAsync(Port, 1, [0x5A, 0x08, 0x08, 0, 0, 0, 0, 0, 64, 0], dataIn: mode);
            written = await host.ExecuteAsync(Port, 1, fua, data);
            synced = await host.ExecuteAsync(Port, 1, Cdb16(0x91, 0, 0));
        }

        int exitCode = await daemon.TerminateAsync();
        byte[] file = File.ReadAllBytes(Path.Combine(_directory, "store", "ldev-00-01.img"));
        string[] frames = Tshark.Read(pcap);
        string expectedLog = policy == "write-back" ? ", write-back: acknowledged writes survive a process kill, not a power cut" : ", write-through: every acknowledged write is on stable storage";
        Assert.Multiple(() =>
        {
            Assert.That(daemon.Output, Has.Some.Contains(expectedLog), "the start-up log says what survives");
            Assert.That(sense.IsGood, Is.True, "MODE SENSE(10) caching page: " + sense);
            Assert.That((mode[8 + 2] & 0x04) != 0, Is.EqualTo(wce), "'" + policy + "': WCE is what the store does");
            Assert.That(written.IsGood, Is.True, "WRITE(16) with FUA: " + written);
            Assert.That(synced.IsGood, Is.True, "SYNCHRONIZE CACHE(16): " + synced);
            Assert.That(exitCode, Is.Zero, "SIGTERM stops controllerd cleanly: " + string.Join(" | ", daemon.Errors));
            Assert.That(daemon.Output, Has.Some.Contains("synced 1 LDEV files"), "a clean stop syncs the LDEV file and says so");
            Assert.That(file.AsSpan(16 * 512, 4096).SequenceEqual(data), Is.True, "the write is in the LDEV file");
            Assert.That(frames, Has.Some.Contains("Mode Sense(10)"), "tshark decodes MODE SENSE(10):\n" + string.Join("\n", frames));
            Assert.That(frames, Has.Some.Contains("Synchronize Cache(16)"), "and SYNCHRONIZE CACHE(16)");
        });
    }

    [Test]
    public async Task ARamControllerSaysAtStartThatItsLdevsLoseEverythingAtExit()
    {
        using DaemonProcess daemon = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd.conf"), "--listen", "127.0.0.1:0");
        await daemon.WaitUntilListeningAsync();
        int exitCode = await daemon.TerminateAsync();
        Assert.Multiple(() =>
        {
            Assert.That(daemon.Output, Has.Some.Contains("store: RAM: the 6 LDEVs lose everything when controllerd exits"), "said before it listens");
            Assert.That(daemon.Output, Has.None.Contains("synced"), "no file to sync");
            Assert.That(exitCode, Is.Zero, "clean stop");
        });
    }

    private static byte[] Cdb16(byte opcode, long lba, int blocks)
    {
        byte[] cdb = new byte[16];
        cdb[0] = opcode;
        BinaryPrimitives.WriteInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteInt32BigEndian(cdb.AsSpan(10), blocks);
        return cdb;
    }
}
