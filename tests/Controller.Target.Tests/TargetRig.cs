// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Collections.Concurrent;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Controller.Initiator;
using Controller.Wire.Diagnostics;

namespace Controller.Target.Tests;

/// <summary>
/// A controller with the FIG 7 ports behind an in-process link: port 0x400104 maps LUNs 0x0001-0x0004 to
/// LDEVs 00:01-00:04, port 0x421014 maps LUN 0x0005; initiators 0x010200 and 0x010300 are in host group
/// "prod" (all LUNs), 0x010400 in "test" (LUN 0x0001 only).
/// </summary>
internal sealed class TargetRig : IAsyncDisposable
{
    public const int PortA = 0x400104;
    public const int PortB = 0x421014;
    public const int Host = 0x010200;
    public const int OtherHost = 0x010300;
    public const int LimitedHost = 0x010400;
    public const long Blocks = 8192;

    /// <summary>The command device's LUN on both ports (LDEV 00:FE), when the rig is made with one.</summary>
    public const ushort CommandDeviceLun = 0x00FE;

    private readonly List<InitiatorPort> _initiators = [];

    /// <param name="options">The target's options.</param>
    /// <param name="media">Makes the media of an LDEV of <see cref="Blocks"/> blocks; null for RAM.</param>
    /// <param name="commandDevice">
    /// True to add LDEV 00:FE as the only command device, at <see cref="CommandDeviceLun"/> of both ports and in both host
    /// groups of port A, as controllerd's configuration would (options' CommandDevices is then set).
    /// </param>
    /// <param name="managedByTest">An explicit copy-management scope for host group "test", or null.</param>
    public TargetRig(TargetOptions? options = null, Func<LdevId, IBlockDevice>? media = null, bool commandDevice = false, VolumeAddress[]? managedByTest = null)
    {
        Subsystem = new StorageSubsystem(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 2 });
        TargetPort a = new(new PortId(PortA));
        TargetPort b = new(new PortId(PortB));
        for (ushort i = 1; i <= 5; i++)
        {
            if (media is null)
            {
                Subsystem.CreateLdev(new LdevId(i), Blocks);
            }
            else
            {
                Subsystem.Attach(new Ldev(new LdevId(i), media(new LdevId(i)), Subsystem.Options.Geometry));
            }

            (i <= 4 ? a : b).MapLun(new Lun(i), new LdevId(i));
        }

        List<Lun> prodLuns = [new Lun(1), new Lun(2), new Lun(3), new Lun(4)];
        List<Lun> testLuns = [new Lun(1)];
        options ??= new TargetOptions();
        if (commandDevice)
        {
            LdevId device = new(0xFE);
            Subsystem.CreateLdev(device, 2048);
            a.MapLun(new Lun(CommandDeviceLun), device);
            b.MapLun(new Lun(CommandDeviceLun), device);
            prodLuns.Add(new Lun(CommandDeviceLun));
            testLuns.Add(new Lun(CommandDeviceLun));
            options = options with { CommandDevices = new HashSet<LdevId> { device }, AuditLog = Audit.Enqueue };
        }

        a.AddHostGroup(new HostGroup("prod", [new PortId(Host), new PortId(OtherHost)], prodLuns));
        a.AddHostGroup(new HostGroup("test", [new PortId(LimitedHost)], testLuns, managedByTest));
        a.SetLunSecurity(true);
        FrontEnd = new ControllerFrontEnd(Subsystem, [a, b], options with { LoggerFactory = new LineLogger(Log.Enqueue) });
    }

    public StorageSubsystem Subsystem { get; }

    public ControllerFrontEnd FrontEnd { get; }

    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Gets the audit lines (with a command device).</summary>
    public ConcurrentQueue<string> Audit { get; } = new();

    public static byte[] Write16(long lba, int blocks)
    {
        byte[] cdb = new byte[16];
        cdb[0] = 0x8A;
        BinaryPrimitives.WriteInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteInt32BigEndian(cdb.AsSpan(10), blocks);
        return cdb;
    }

    public static byte[] Read16(long lba, int blocks)
    {
        byte[] cdb = Write16(lba, blocks);
        cdb[0] = 0x88;
        return cdb;
    }

    public static byte[] Pattern(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public async Task<InitiatorPort> ConnectAsync(int initiatorId = Host, bool login = true, bool firstBurst = false, int target = PortA)
    {
        (System.IO.Pipelines.IDuplexPipe pipe, _) = InProcessLink.Connect(FrontEnd, "host 0x" + initiatorId.ToString("X6", System.Globalization.CultureInfo.InvariantCulture));
        InitiatorPort port = new(pipe, initiatorId);
        _initiators.Add(port);
        if (login)
        {
            await port.LoginAsync(target, firstBurst);
        }

        return port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (InitiatorPort port in _initiators)
        {
            await port.DisposeAsync();
        }

        Subsystem.Dispose();
    }
}
