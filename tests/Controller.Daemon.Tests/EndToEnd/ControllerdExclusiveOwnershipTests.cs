// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Net;
using Controller.Initiator;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// One daemon per address and per store directory (issue #18): the listener does not share its port
/// (SO_REUSEPORT), and a file store's directory is locked (flock) for the daemon's life.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ControllerdExclusiveOwnershipTests
{
    private const int Host = 0x010200;
    private const int Port = 0x400104;
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "controllerd-owner-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task ASecondDaemonOnTheAddressOfARunningOneExitsOneWithAddressInUse()
    {
        string config = await WriteConfigAsync("store ram");
        using DaemonProcess first = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0");
        IPEndPoint endPoint = await first.WaitUntilListeningAsync();

        using DaemonProcess second = DaemonProcess.Start("--config", config, "--listen", endPoint.ToString());
        bool secondListens = await second.ListensOrExitsAsync();
        int exitCode = secondListens ? -1 : await second.WaitForExitAsync();

        // The first still has the address to itself: a login reaches it.
        await using (InitiatorPort host = await InitiatorPort.ConnectAsync(endPoint, Host))
        {
            await host.LoginAsync(Port);
        }

        Assert.Multiple(() =>
        {
            Assert.That(secondListens, Is.False, "a second daemon must not listen on an address in use (with SO_REUSEPORT the kernel spreads logins over both): " + string.Join(" | ", second.Output));
            Assert.That(exitCode, Is.EqualTo(1), "exit code 1: could not run");
            Assert.That(second.Errors, Has.Some.Contains("cannot listen on " + endPoint + ": address in use"), "the message names the address and says it is in use: " + string.Join(" | ", second.Errors));
            Assert.That(first.Output, Has.Some.Contains(": connected"), "the login went to the first daemon");
        });
    }

    [Test]
    public async Task ADaemonRestartedOnThePortOfOneJustStoppedWithOpenConnectionsListens()
    {
        string config = await WriteConfigAsync("store ram");
        IPEndPoint endPoint;
        using (DaemonProcess first = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0"))
        {
            endPoint = await first.WaitUntilListeningAsync();
            await using InitiatorPort host = await InitiatorPort.ConnectAsync(endPoint, Host);
            await host.LoginAsync(Port);
            ScsiResult written = await host.ExecuteAsync(Port, 1, Cdb16(0x8A, 0, 8), new byte[4096]);
            Assert.That(written.IsGood, Is.True, "a write before the stop: " + written);

            // The daemon closes the connection first, so its end of it is left in TIME_WAIT.
            Assert.That(await first.TerminateAsync(), Is.Zero, "the first daemon stops cleanly: " + string.Join(" | ", first.Output));
        }

        using DaemonProcess second = DaemonProcess.Start("--config", config, "--listen", endPoint.ToString());
        bool listens = await second.ListensOrExitsAsync();
        Assert.That(listens, Is.True, "a restart on the same port right after a stop with open connections listens (SO_REUSEADDR: TIME_WAIT does not block the bind): " + string.Join(" | ", second.Errors));
        Assert.That(await second.TerminateAsync(), Is.Zero, "and stops cleanly");
    }

    [Test]
    public async Task ASecondDaemonOnTheStoreDirectoryOfARunningOneIsRefusedAndOneAfterAKillStarts()
    {
        string store = Path.Combine(_directory, "store");
        string config = await WriteConfigAsync("store file \"" + store + "\"");
        int firstPid;
        using (DaemonProcess first = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0"))
        {
            await first.WaitUntilListeningAsync();
            firstPid = first.Id;

            // A different address: only the store directory is shared.
            using DaemonProcess second = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0");
            bool secondListens = await second.ListensOrExitsAsync();
            int exitCode = secondListens ? -1 : await second.WaitForExitAsync();
            Assert.Multiple(() =>
            {
                Assert.That(secondListens, Is.False, "a second daemon must not open the LDEV files of a running one: " + string.Join(" | ", second.Output));
                Assert.That(exitCode, Is.EqualTo(1), "exit code 1: could not run");
                Assert.That(second.Errors, Has.Some.Contains("store directory '" + store + "' is in use by another controllerd (pid " + firstPid + ","), "the message names the directory and the holder's pid: " + string.Join(" | ", second.Errors));
            });

            // kill -9: no chance to clean up; the kernel drops the flock with the process.
            await first.SignalAsync("KILL");
            Assert.That(await first.WaitForExitAsync(), Is.Not.Zero, "killed");
        }

        Assert.That((await File.ReadAllTextAsync(Path.Combine(store, "controllerd.lock"))).Trim(), Is.EqualTo(firstPid.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the lock file the killed daemon left names it");
        using DaemonProcess third = DaemonProcess.Start("--config", config, "--listen", "127.0.0.1:0");
        bool thirdListens = await third.ListensOrExitsAsync();
        Assert.That(thirdListens, Is.True, "after the holder was killed, a new daemon takes the store directory: " + string.Join(" | ", third.Errors));
        Assert.That(await third.TerminateAsync(), Is.Zero, "and it stops cleanly");

        // Read once it has stopped: .NET's own open takes a shared flock, which the holder's lock refuses.
        Assert.That((await File.ReadAllTextAsync(Path.Combine(store, "controllerd.lock"))).Trim(), Is.EqualTo(third.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the lock file named the new holder");
    }

    internal static byte[] Cdb16(byte opcode, long lba, int blocks)
    {
        byte[] cdb = new byte[16];
        cdb[0] = opcode;
        BinaryPrimitives.WriteInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteInt32BigEndian(cdb.AsSpan(10), blocks);
        return cdb;
    }

    private async Task<string> WriteConfigAsync(string store)
    {
        string path = Path.Combine(_directory, "controllerd.conf");
        await File.WriteAllLinesAsync(path, [store, "ldev 00:01 size 1MiB", "port 0x400104 open", "lun 0x400104 0x0001 00:01"]);
        return path;
    }
}
