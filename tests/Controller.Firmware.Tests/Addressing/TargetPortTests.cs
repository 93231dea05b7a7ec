// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Addressing;

namespace Controller.Firmware.Tests.Addressing;

public sealed class TargetPortTests
{
    private static readonly PortId ProductionHost = new(0x010200);
    private static readonly PortId BackupHost = new(0x010300);
    private static readonly PortId UnknownHost = new(0x010400);

    [Test]
    public void WithoutLunSecurityEveryInitiatorSeesEveryMappedLun()
    {
        TargetPort port = NewPortWithLuns();
        Assert.That(port.Resolve(UnknownHost, new Lun(2), out LdevId ldev), Is.EqualTo(LunAccess.Granted), "LUN security off: any initiator");
        Assert.That(ldev, Is.EqualTo(new LdevId(0x0002)), "LUN 0x0002 maps to LDEV 00:02");
        Assert.That(port.GetVisibleLuns(UnknownHost), Is.EqualTo(new[] { new Lun(1), new Lun(2), new Lun(3) }), "REPORT LUNS lists all, ascending");
    }

    [Test]
    public void AnUnmappedLunIsNotMapped()
    {
        TargetPort port = NewPortWithLuns();
        Assert.That(port.Resolve(ProductionHost, new Lun(9), out _), Is.EqualTo(LunAccess.NotMapped), "no LDEV at LUN 0x0009");
    }

    [Test]
    public void HostGroupsDecideWhichLunsEachInitiatorSees()
    {
        TargetPort port = NewPortWithLuns();
        port.AddHostGroup(new HostGroup("prod", [ProductionHost], [new Lun(1), new Lun(2)]));
        port.AddHostGroup(new HostGroup("backup", [BackupHost], [new Lun(3)]));
        port.SetLunSecurity(true);

        Assert.That(port.Resolve(ProductionHost, new Lun(1), out LdevId ldev), Is.EqualTo(LunAccess.Granted), "prod sees LUN 1");
        Assert.That(ldev, Is.EqualTo(new LdevId(1)), "LUN 1 is LDEV 00:01");
        Assert.That(port.Resolve(ProductionHost, new Lun(3), out _), Is.EqualTo(LunAccess.NotVisible), "prod does not see backup's LUN 3");
        Assert.That(port.Resolve(BackupHost, new Lun(3), out _), Is.EqualTo(LunAccess.Granted), "backup sees LUN 3");
        Assert.That(port.Resolve(BackupHost, new Lun(1), out _), Is.EqualTo(LunAccess.NotVisible), "backup does not see prod's LUN 1");
        Assert.That(port.Resolve(UnknownHost, new Lun(1), out _), Is.EqualTo(LunAccess.NotVisible), "an initiator in no host group sees nothing");
        Assert.That(port.GetVisibleLuns(ProductionHost), Is.EqualTo(new[] { new Lun(1), new Lun(2) }), "REPORT LUNS for prod");
        Assert.That(port.GetVisibleLuns(UnknownHost), Is.Empty, "REPORT LUNS for a stranger");
    }

    [Test]
    public void AHostGroupLunThatIsNotMappedIsNotMapped()
    {
        TargetPort port = NewPortWithLuns();
        port.AddHostGroup(new HostGroup("prod", [ProductionHost], [new Lun(7)]));
        port.SetLunSecurity(true);
        Assert.That(port.Resolve(ProductionHost, new Lun(7), out _), Is.EqualTo(LunAccess.NotMapped), "visible but nothing mapped there");
    }

    [Test]
    public void TurningLunSecurityOffShowsEverythingAgain()
    {
        TargetPort port = NewPortWithLuns();
        port.AddHostGroup(new HostGroup("prod", [ProductionHost], [new Lun(1)]));
        port.SetLunSecurity(true);
        port.SetLunSecurity(false);
        Assert.That(port.Resolve(UnknownHost, new Lun(3), out _), Is.EqualTo(LunAccess.Granted), "host groups only apply with LUN security on");
    }

    [Test]
    public void AnInitiatorBelongsToOneHostGroupPerPort()
    {
        TargetPort port = NewPortWithLuns();
        port.AddHostGroup(new HostGroup("prod", [ProductionHost], [new Lun(1)]));
        InvalidOperationException? ex = Assert.Throws<InvalidOperationException>(
            () => port.AddHostGroup(new HostGroup("other", [ProductionHost], [new Lun(2)])));
        Assert.That(ex!.Message, Is.EqualTo("initiator 0x010200 is already in host group 'prod' of port 0x400104"), "the message names the group");
        Assert.That(port.GetHostGroups(), Has.Count.EqualTo(1), "the refused group was not added");
    }

    [Test]
    public void HostGroupNamesAreUniquePerPort()
    {
        TargetPort port = NewPortWithLuns();
        port.AddHostGroup(new HostGroup("prod", [ProductionHost], [new Lun(1)]));
        Assert.Throws<InvalidOperationException>(() => port.AddHostGroup(new HostGroup("prod", [BackupHost], [new Lun(2)])), "duplicate name");
    }

    [Test]
    public void MappingATakenLunIsRefusedAndUnmappingFreesIt()
    {
        TargetPort port = NewPortWithLuns();
        InvalidOperationException? ex = Assert.Throws<InvalidOperationException>(() => port.MapLun(new Lun(1), new LdevId(0x10)));
        Assert.That(ex!.Message, Is.EqualTo("LUN 0x0001 on port 0x400104 is already mapped to LDEV 00:01"), "no silent remap");
        Assert.That(port.UnmapLun(new Lun(1)), Is.True, "LUN 1 was mapped");
        Assert.That(port.UnmapLun(new Lun(1)), Is.False, "LUN 1 is no longer mapped");
        port.MapLun(new Lun(1), new LdevId(0x10));
        Assert.That(port.Resolve(UnknownHost, new Lun(1), out LdevId ldev), Is.EqualTo(LunAccess.Granted), "remapped");
        Assert.That(ldev, Is.EqualTo(new LdevId(0x10)), "LUN 1 now maps to LDEV 00:10");
    }

    private static TargetPort NewPortWithLuns()
    {
        TargetPort port = new(PortId.Parse("0x400104"));
        port.MapLun(new Lun(3), new LdevId(3));
        port.MapLun(new Lun(1), new LdevId(1));
        port.MapLun(new Lun(2), new LdevId(2));
        return port;
    }
}
