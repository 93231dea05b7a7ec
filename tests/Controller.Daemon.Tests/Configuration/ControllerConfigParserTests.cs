// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Controller.Addressing;
using Controller.Daemon.Configuration;
using Controller.Firmware;
using Controller.Firmware.Media;

namespace Controller.Daemon.Tests.Configuration;

public sealed partial class ControllerConfigParserTests
{
    private const string FileName = "test.conf";

    // Lines 1-5 of many tests: two LDEVs behind LUNs 0x0001 and 0x0002 of port 0x400104 (open: no host group).
    private const string TwoLdevsOnOnePort = """
        ldev 00:01 size 1MiB
        ldev 00:02 size 1MiB
        port 0x400104 open
        lun 0x400104 0x0001 00:01
        lun 0x400104 0x0002 00:02

        """;

    [Test]
    public void TheSampleConfigurationParsesIntoTheFig7Topology()
    {
        string path = RepositoryRoot.PathOf("docs/controllerd.conf");
        ControllerConfig config = ControllerConfigParser.ParseFile(path);

        Assert.That(config.FileName, Is.EqualTo(path), "errors name the file as it was given");
        Assert.That(config.Listen, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 3225)), "listen");
        Assert.That(config.TrackSizeBytes, Is.EqualTo(64 * 1024), "track-size 64KiB");
        Assert.That(config.MpCount, Is.EqualTo(new SubsystemOptions().MpCount), "mps is left to the core's default");
        Assert.That(config.QueueDepth, Is.EqualTo(4096), "queue-depth");
        Assert.That(config.Store, Is.EqualTo(StoreKind.Ram), "store ram");
        Assert.That(config.StoreDirectory, Is.Null, "no directory with a RAM store");

        Assert.That(config.Ldevs, Has.Count.EqualTo(6), "LDEVs 00:01 to 00:05 and the command device 00:FE");
        Assert.That(config.GetCommandDevices(), Is.EqualTo(new[] { LdevId.Parse("00:FE") }), "00:FE is the command device");
        for (int i = 0; i < 5; i++)
        {
            Assert.That(config.Ldevs[i].Id, Is.EqualTo(new LdevId((ushort)(i + 1))), "LDEVs in file order");
            Assert.That(config.Ldevs[i].SizeBytes, Is.EqualTo(64L << 20), "64 MiB each");
            Assert.That(config.Ldevs[i].BlockCount, Is.EqualTo(131072), "64 MiB is 131072 blocks");
        }

        Assert.That(config.Ports, Has.Count.EqualTo(2), "two ports");
        PortConfig first = config.Ports[0];
        PortConfig second = config.Ports[1];
        Assert.That(first.PortId, Is.EqualTo(PortId.Parse("0x400104")), "first port");
        Assert.That(second.PortId, Is.EqualTo(PortId.Parse("0x421014")), "second port");
        Assert.That(first.Luns, Has.Count.EqualTo(5), "LUNs 0x0001-0x0004 and the command device on 0x400104");
        Assert.That(second.Luns, Has.Count.EqualTo(2), "LUN 0x0005 and the command device on 0x421014");
        Assert.That(second.Luns[0].Lun, Is.EqualTo(Lun.Parse("0x0005")), "the LUN of the second port");
        Assert.That(second.Luns[0].Ldev, Is.EqualTo(LdevId.Parse("00:05")), "0x421014/0x0005 is LDEV 00:05");
        Assert.That(first.LunSecurity && second.LunSecurity, Is.True, "both ports have a host group, so LUN security is on");
        Assert.That(first.HostGroups[0].Initiators, Is.EqualTo(new[] { PortId.Parse("0x010200") }), "the host's initiator");
        Assert.That(first.HostGroups[0].Luns, Has.Count.EqualTo(5), "the host sees every LUN of 0x400104");
        Assert.That(second.HostGroups[0].Luns, Is.EqualTo(new[] { Lun.Parse("0x0005"), Lun.Parse("0x00FE") }), "and the LUNs of 0x421014");

        Assert.That(config.Pairs, Has.Count.EqualTo(2), "the two FIG 7 mirrors");
        Assert.That(config.Pairs[0].ToString(), Is.EqualTo("0x400104, 0x0001 -> 0x400104, 0x0002"), "first mirror");
        Assert.That(config.Pairs[1].ToString(), Is.EqualTo("0x400104, 0x0004 -> 0x421014, 0x0005"), "second mirror, across the ports");
    }

    [Test]
    public void AnEmptyFileGivesTheDefaults()
    {
        ControllerConfig config = Parse("");
        SubsystemOptions defaults = new();
        Assert.That(config.Listen, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, ControllerConfig.DefaultFcipPort)), "127.0.0.1:3225");
        Assert.That(config.TrackSizeBytes, Is.EqualTo(65536), "64 KiB tracks");
        Assert.That(config.MpCount, Is.EqualTo(defaults.MpCount), "the core's default MP count");
        Assert.That(config.QueueDepth, Is.EqualTo(4096), "queue depth 4096");
        Assert.That(config.Store, Is.EqualTo(StoreKind.Ram), "RAM store");
        Assert.That(config.StoreLine, Is.Zero, "no store line");
        Assert.That(config.Ldevs.Count + config.Ports.Count + config.Pairs.Count, Is.Zero, "nothing declared");
    }

    [Test]
    public void SettingsAreRead()
    {
        ControllerConfig config = Parse("""
            listen 0.0.0.0:4000
            track-size 256KiB
            mps 3
            queue-depth 64
            """);
        Assert.That(config.Listen, Is.EqualTo(new IPEndPoint(IPAddress.Any, 4000)), "listen");
        Assert.That(config.TrackSizeBytes, Is.EqualTo(256 * 1024), "track-size");
        Assert.That(config.MpCount, Is.EqualTo(3), "mps");
        Assert.That(config.QueueDepth, Is.EqualTo(64), "queue-depth");
        SubsystemOptions options = config.ToSubsystemOptions();
        Assert.That((options.MpCount, options.QueueDepth, options.Geometry.TrackSizeBytes), Is.EqualTo((3, 64, 256 * 1024)), "the subsystem gets what the file says");
    }

    [TestCase("track-size 48KiB", 49152)]
    [TestCase("track-size 49152", 49152)]
    [TestCase("track-size 64KiB", 65536)]
    [TestCase("track-size 256KiB", 262144)]
    public void EverySupportedTrackSizeIsAccepted(string line, int expected)
    {
        Assert.That(Parse(line).TrackSizeBytes, Is.EqualTo(expected), line);
    }

    [Test]
    public void BlankLinesAndCommentsAreIgnored()
    {
        ControllerConfig config = Parse("""

            # a whole-line comment
               # an indented one
            	ldev 00:01 size 1MiB   # a trailing comment
            port 0x400104 open# a comment right after a word
            lun 0x400104 0x0001 00:01 #

            """);
        Assert.That(config.Ldevs, Has.Count.EqualTo(1), "the ldev line around the comments");
        Assert.That(config.Ports[0].Luns, Has.Count.EqualTo(1), "the lun line with an empty comment");
    }

    [Test]
    public void LinesMayReferToThingsDeclaredFurtherDown()
    {
        ControllerConfig config = Parse("""
            pair 0x400104,0x0001 0x400104,0x0002
            host-group h 0x400104 initiators 0x010200 luns 0x0001 0x0002
            lun 0x400104 0x0001 00:01
            lun 0x400104 0x0002 00:02
            port 0x400104
            ldev 00:01 size 1MiB
            ldev 00:02 size 1MiB
            """);
        Assert.That(config.Pairs, Has.Count.EqualTo(1), "the pair on line 1 resolves to LUNs mapped on lines 3 and 4");
        Assert.That(config.Ports[0].Luns, Has.Count.EqualTo(2), "the LUNs resolve to a port declared on line 5");
        Assert.That(config.Ports[0].HostGroups[0].Line, Is.EqualTo(2), "entries keep their own line");
        Assert.That(config.Ports[0].Line, Is.EqualTo(5), "and the port its line");
    }

    [TestCase("0x400104,0x0001 0x400104,0x0002")]
    [TestCase("0x400104, 0x0001 0x400104, 0x0002")]
    [TestCase("0x400104 ,0x0001 0x400104 , 0x0002")]
    [TestCase("0x400104/0x0001 0x400104/0x0002")]
    [TestCase("(0x400104, 0x0001) (0x400104,0x0002)")]
    [TestCase("0X400104,0X0001 0x400104,0x0002")]
    public void PairVolumesMayBeWrittenInEveryFig7Form(string volumes)
    {
        ControllerConfig config = Parse(TwoLdevsOnOnePort + "pair " + volumes + "\n");
        Assert.That(config.Pairs[0].PVol, Is.EqualTo(VolumeAddress.Parse("0x400104, 0x0001")), "P-VOL of '" + volumes + "'");
        Assert.That(config.Pairs[0].SVol, Is.EqualTo(VolumeAddress.Parse("0x400104, 0x0002")), "S-VOL of '" + volumes + "'");
    }

    [TestCase("listen 127.0.0.1:3225", "127.0.0.1", 3225)]
    [TestCase("listen 0.0.0.0:0", "0.0.0.0", 0)]
    [TestCase("listen [::1]:3225", "::1", 3225)]
    [TestCase("listen [::]:65535", "::", 65535)]
    [TestCase("listen 192.168.10.20:3260", "192.168.10.20", 3260)]
    public void ListenTakesAnIpAddressAndAPort(string line, string address, int port)
    {
        Assert.That(Parse(line).Listen, Is.EqualTo(new IPEndPoint(IPAddress.Parse(address), port)), line);
    }

    [Test]
    public void ARelativeStoreDirectoryIsTakenFromTheConfigurationFilesDirectory()
    {
        ControllerConfig config = ControllerConfigParser.Parse(new StringReader("store file data"), "/etc/controllerd/controllerd.conf");
        Assert.That(config.Store, Is.EqualTo(StoreKind.File), "store file");
        Assert.That(config.StoreDirectory, Is.EqualTo("/etc/controllerd/data"), "relative to the file, not to the daemon's working directory");
        Assert.That(config.StoreLine, Is.EqualTo(1), "the line is kept for errors found when the directory is created");
    }

    [TestCase("store file /var/lib/controllerd", "/var/lib/controllerd")]
    [TestCase("store file \"/srv/ctl data/#1\"  # quoted: spaces and '#' stay", "/srv/ctl data/#1")]
    [TestCase("store file ../state", "/etc/state")]
    public void StoreDirectoriesAreMadeAbsolute(string line, string expected)
    {
        ControllerConfig config = ControllerConfigParser.Parse(new StringReader(line), "/etc/controllerd/controllerd.conf");
        Assert.That(config.StoreDirectory, Is.EqualTo(expected), line);
    }

    // Cells: the store line -> kind, directory, write policy. Write-through is the default of a file store: with no
    // word about a cache an acknowledged write is on stable storage, and MODE SENSE then says WCE 0.
    [TestCase("", "Ram", null, WriteCachePolicy.VolatileMedium)]
    [TestCase("store ram", "Ram", null, WriteCachePolicy.VolatileMedium)]
    [TestCase("store file /srv/ctl", "File", "/srv/ctl", WriteCachePolicy.WriteThrough)]
    [TestCase("store file /srv/ctl write-through", "File", "/srv/ctl", WriteCachePolicy.WriteThrough)]
    [TestCase("store file /srv/ctl write-back", "File", "/srv/ctl", WriteCachePolicy.WriteBack)]
    [TestCase("store file \"/srv/write-back\" write-through  # the directory is not the policy", "File", "/srv/write-back", WriteCachePolicy.WriteThrough)]
    public void TheStoreLineGivesItsKindDirectoryAndWritePolicy(string line, string kind, string? directory, WriteCachePolicy policy)
    {
        ControllerConfig config = ControllerConfigParser.Parse(new StringReader(line), "/etc/controllerd/controllerd.conf");
        Assert.That((config.Store.ToString(), config.StoreDirectory, config.StorePolicy), Is.EqualTo((kind, directory, policy)), "'" + line + "'");
    }

    [Test]
    public void AnLdevMayBeMappedOnSeveralPorts()
    {
        ControllerConfig config = Parse("""
            ldev 00:01 size 1MiB
            port 0x400104 open
            port 0x421014 open
            lun 0x400104 0x0001 00:01
            lun 0x421014 0x0001 00:01
            """);
        Assert.That(config.TryResolve(VolumeAddress.Parse("0x400104, 0x0001"), out LdevId a) && config.TryResolve(VolumeAddress.Parse("0x421014, 0x0001"), out LdevId b) && a == b,
            Is.True, "two paths to one LDEV (multipath) are a normal configuration");
    }

    [Test]
    [Category("Security")]
    public void SecurityLinesGiveCommandDevicesOpenPortsScopesAndTheAuditLog()
    {
        ControllerConfig config = ControllerConfigParser.Parse(new StringReader("""
            ldev 00:01 size 1MiB
            ldev 00:FE size 1MiB command-device
            port 0x400104
            port 0x421014 open
            lun 0x400104 0x0001 00:01
            lun 0x400104 0x00FE 00:FE
            lun 0x421014 0x00FE 00:FE
            host-group ops 0x400104 initiators 0x010200 luns 0x00FE manages 0x400104,0x0001 0x500000,0x0001
            audit-log audit/controllerd-audit.log
            """), "/etc/controllerd/controllerd.conf");
        Assert.Multiple(() =>
        {
            Assert.That(config.GetCommandDevices(), Is.EqualTo(new[] { LdevId.Parse("00:FE") }), "command-device");
            Assert.That((config.Ports[0].Open, config.Ports[1].Open), Is.EqualTo((false, true)), "open");
            Assert.That(config.Ports[0].HostGroups[0].ManagedVolumes, Is.EqualTo(new[] { VolumeAddress.Parse("0x400104, 0x0001"), VolumeAddress.Parse("0x500000, 0x0001") }), "manages, a remote volume too");
            Assert.That(config.Ports[1].HostGroups, Is.Empty);
            Assert.That(config.AuditLogPath, Is.EqualTo("/etc/controllerd/audit/controllerd-audit.log"), "relative to the file's directory");
        });
    }

    [Test]
    public void HostGroupsTurnLunSecurityOnOnlyForTheirPort()
    {
        ControllerConfig config = Parse("""
            ldev 00:01 size 1MiB
            ldev 00:02 size 1MiB
            port 0x400104
            lun 0x400104 0x0001 00:01
            lun 0x400104 0x0002 00:02
            port 0x421014 open
            lun 0x421014 0x0001 00:01
            host-group prod 0x400104 initiators 0x010200 0x010300 luns 0x0001
            host-group test 0x400104 initiators 0x010400 luns 0x0002
            """);
        Assert.That(config.Ports[0].LunSecurity, Is.True, "0x400104 has host groups");
        Assert.That(config.Ports[1].LunSecurity, Is.False, "0x421014 has none: every initiator sees every LUN");
        Assert.That(config.Ports[0].HostGroups, Has.Count.EqualTo(2), "two groups on one port");
        Assert.That(config.Ports[0].HostGroups[0].Initiators, Has.Count.EqualTo(2), "two initiators in 'prod'");
    }

    [Test]
    public void TheParsedModelCannotBeChangedAfterwards()
    {
        ControllerConfig config = Parse(TwoLdevsOnOnePort + "listen 127.0.0.1:3225\n");
        Assert.That(config.Ldevs, Is.InstanceOf<System.Collections.ObjectModel.ReadOnlyCollection<LdevConfig>>(), "the LDEV list is read-only, not an array to cast back");
        Assert.That(config.Ports[0].Luns, Is.InstanceOf<System.Collections.ObjectModel.ReadOnlyCollection<LunMapping>>(), "so are the LUN maps");
        config.Listen.Port = 1;
        Assert.That(config.Listen.Port, Is.EqualTo(3225), "Listen hands out a copy: IPEndPoint itself is mutable");
    }

    [Test]
    public void AFileIsReadWithItsPathInTheErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), "controllerd-" + Guid.NewGuid().ToString("N") + ".conf");
        File.WriteAllText(path, "ldev 00:01 size 1MiB\nmps 0\n");
        try
        {
            ConfigException? ex = Assert.Throws<ConfigException>(() => ControllerConfigParser.ParseFile(path), "mps 0 is refused");
            Assert.That(ex!.Message, Is.EqualTo(path + ":2: MP count must be 1 to 256, not 0"), "file:line: reason");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void AMissingFileIsAnErrorOnLineZeroWithTheOsReason()
    {
        string path = Path.Combine(Path.GetTempPath(), "controllerd-missing-" + Guid.NewGuid().ToString("N"), "controllerd.conf");
        ConfigException? ex = Assert.Throws<ConfigException>(() => ControllerConfigParser.ParseFile(path), "a missing file is refused");
        Assert.That(ex!.File, Is.EqualTo(path), "the file as given");
        Assert.That(ex.Line, Is.Zero, "no line: the file as a whole is the problem");
        Assert.That(ex.Reason, Does.StartWith("cannot read the configuration file: "), "says what failed");
        Assert.That(ex.Reason, Does.Contain("Could not find"), "and the OS's reason");
        Assert.That(ex.Message, Is.EqualTo(path + ": " + ex.Reason), "with line 0 the message is 'file: reason'");
        Assert.That(ex.InnerException, Is.InstanceOf<IOException>(), "the OS error is kept");
    }

    [Test]
    public void ADirectoryIsNotAConfigurationFile()
    {
        string path = Path.GetTempPath();
        ConfigException? ex = Assert.Throws<ConfigException>(() => ControllerConfigParser.ParseFile(path), "a directory is refused");
        Assert.That(ex!.Line, Is.Zero, "no line: the file as a whole is the problem");
        Assert.That(ex.Reason, Does.StartWith("cannot read the configuration file: "), "with the OS reason after it");
    }

    private static ControllerConfig Parse(string text)
    {
        return ControllerConfigParser.Parse(new StringReader(text), FileName);
    }
}
