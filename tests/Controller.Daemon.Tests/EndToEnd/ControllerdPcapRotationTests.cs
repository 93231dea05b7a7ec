// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Net;
using Controller.Initiator;
using Controller.Testing;
using Controller.Wire.Pcap;

namespace Controller.Daemon.Tests.EndToEnd;

[TestFixture]
[NonParallelizable]
public sealed class ControllerdPcapRotationTests
{
    private const int Host = 0x010200;
    private const int Port = 0x400104;
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "controllerd-pcap-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task ARecordingRotatesAtItsLimitSaysSoAndEveryKeptPartIsATrace()
    {
        string pcap = Path.Combine(_directory, "trace.pcap");
        using DaemonProcess daemon = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd.conf"), "--listen", "127.0.0.1:0", "--pcap", pcap, "--pcap-limit", "64k", "--pcap-files", "3");
        IPEndPoint endPoint = await daemon.WaitUntilListeningAsync();

        // 64 writes of 4 KiB: each at least 4 KiB of data frames, so well over three 64 KiB files.
        byte[] data = new byte[4096];
        List<bool> good = [];
        await using (InitiatorPort host = await InitiatorPort.ConnectAsync(endPoint, Host))
        {
            await host.LoginAsync(Port);
            for (int i = 0; i < 64; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(data, i);
                good.Add((await host.ExecuteAsync(Port, 1, Cdb16(0x8A, i * 8L, 8), data)).IsGood);
            }
        }

        int exitCode = await daemon.TerminateAsync();
        string[] parts = [pcap, PcapFrameTap.PartPath(pcap, 1), PcapFrameTap.PartPath(pcap, 2)];
        Assert.Multiple(() =>
        {
            Assert.That(good, Is.All.True, "every write is GOOD");
            Assert.That(exitCode, Is.Zero, "SIGTERM stops controllerd cleanly: " + string.Join(" | ", daemon.Errors));
            Assert.That(daemon.Output, Has.Some.Contains("recording frames to " + pcap + ", rotated at 0.1 MiB (65536 bytes), 3 files kept: " + pcap + " and " + parts[1] + " to " + parts[2]), "the start line says where it records and the limit:\n" + string.Join("\n", daemon.Output));
            Assert.That(daemon.Output, Has.Some.Contains("reached its limit at").And.Contains("now " + parts[1]), "a rotation is logged");
            Assert.That(daemon.Output, Has.Some.Matches<string>(line => line.Contains("stopped (", StringComparison.Ordinal) && line.Contains(" rotations)", StringComparison.Ordinal)), "the last line gives the totals");
            Assert.That(File.Exists(PcapFrameTap.PartPath(pcap, 3)), Is.False, "no fourth file: three kept");
        });
        foreach (string part in parts)
        {
            Assert.That(new FileInfo(part).Length, Is.LessThanOrEqualTo(64 * 1024), part + " within the limit");
            long records = 0;
            using (PcapReader reader = PcapReader.Open(part))
            {
                while (reader.TryReadNext(out _))
                {
                    records++;
                }
            }

            Assert.That(records, Is.Positive, part + " holds frames (the project's reader)");
            Assert.That(Tshark.Read(part), Has.Length.EqualTo(records), part + " reads in tshark on its own, every frame");
        }
    }

    [TestCase("--pcap-limit", "1k", "--pcap-limit 1k is not a size of at least 64k")]
    [TestCase("--pcap-files", "0", "--pcap-files 0 is not a number of files from 1 to 1000")]
    public async Task ABadRecordingLimitIsRefused(string option, string value, string message)
    {
        using DaemonProcess daemon = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd.conf"), "--pcap", Path.Combine(_directory, "t.pcap"), option, value);
        int exitCode = await daemon.WaitForExitAsync();
        Assert.That(exitCode, Is.EqualTo(2), "a bad command line");
        Assert.That(daemon.Errors, Has.Some.Contains(message), string.Join(" | ", daemon.Errors));
    }

    [Test]
    public async Task ALimitWithoutATraceIsRefused()
    {
        using DaemonProcess daemon = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd.conf"), "--pcap-limit", "1G");
        int exitCode = await daemon.WaitForExitAsync();
        Assert.That(exitCode, Is.EqualTo(2), "a bad command line");
        Assert.That(daemon.Errors, Has.Some.Contains("--pcap-limit needs --pcap FILE"), string.Join(" | ", daemon.Errors));
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
