// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Initiator;
using Controller.Wire;

namespace Controller.Target.Tests;

/// <summary>
/// The write cache as a host sees it (issue #18): MODE SENSE's caching page says WCE 1 exactly when the LDEV's store
/// is write-back, SYNCHRONIZE CACHE(10/16) is range checked and answered after a sync, and WRITE with FUA is durable
/// before GOOD. The media count their syncs (<see cref="SyncCountingMedia"/>).
/// </summary>
[TestFixture]
public sealed class WriteCacheTests
{
    private readonly Dictionary<LdevId, SyncCountingMedia> _media = [];
    private TargetRig? _rig;

    [TearDown]
    public async Task TearDown()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }

        _media.Clear();
    }

    // Cells: store policy x MODE SENSE(6) / (10) -> WCE.
    [TestCase(WriteCachePolicy.VolatileMedium, false, false)]
    [TestCase(WriteCachePolicy.VolatileMedium, true, false)]
    [TestCase(WriteCachePolicy.WriteThrough, false, false)]
    [TestCase(WriteCachePolicy.WriteThrough, true, false)]
    [TestCase(WriteCachePolicy.WriteBack, false, true)]
    [TestCase(WriteCachePolicy.WriteBack, true, true)]
    public async Task TheCachingPageReportsWceExactlyWhenTheStoreIsWriteBack(WriteCachePolicy policy, bool ten, bool wce)
    {
        InitiatorPort host = await ConnectAsync(policy);
        byte[] mode = new byte[64];
        byte[] cdb = ten ? [0x5A, 0, 0x08, 0, 0, 0, 0, 0, 64, 0] : [0x1A, 0, 0x08, 0, 64, 0];
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, cdb, dataIn: mode);
        int header = ten ? 8 : 4;
        int page = header + 8;
        Assert.Multiple(() =>
        {
            Assert.That(result.IsGood, Is.True, "MODE SENSE(" + (ten ? 10 : 6) + ") caching page: " + result);
            Assert.That(ten ? BinaryPrimitives.ReadUInt16BigEndian(mode) : mode[0], Is.EqualTo(ten ? 36 - 2 : 32 - 1), "mode data length: header, block descriptor, caching page");
            Assert.That(ten ? BinaryPrimitives.ReadUInt16BigEndian(mode.AsSpan(6)) : mode[3], Is.EqualTo(8), "one short block descriptor");
            Assert.That(mode[ten ? 3 : 2] & 0x10, Is.EqualTo(0x10), "DPOFUA: the FUA bit is honoured");
            Assert.That(mode[page] & 0x3F, Is.EqualTo(0x08), "the caching page follows the block descriptor");
            Assert.That(mode[page + 1], Is.EqualTo(0x12), "page length 18");
            Assert.That((mode[page + 2] & 0x04) != 0, Is.EqualTo(wce), policy + ": WCE says whether an acknowledged write may still be in a volatile cache");
        });
    }

    [Test]
    public async Task TheChangeableValuesOfTheCachingPageAreAllZero()
    {
        InitiatorPort host = await ConnectAsync(WriteCachePolicy.WriteBack);
        byte[] mode = new byte[64];
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, [0x5A, 0x08, 0x48, 0, 0, 0, 0, 0, 64, 0], dataIn: mode);
        Assert.Multiple(() =>
        {
            Assert.That(result.IsGood, Is.True, "MODE SENSE(10), DBD, changeable values: " + result);
            Assert.That(mode[8], Is.EqualTo(0x08), "DBD: the caching page follows the 8-byte header");
            Assert.That(mode[10], Is.Zero, "WCE is not changeable (no MODE SELECT): the policy is the configuration's");
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task SynchronizeCacheOnWriteBackSyncsEveryAcknowledgedWriteBeforeGood(bool sixteen)
    {
        InitiatorPort host = await ConnectAsync(WriteCachePolicy.WriteBack);
        SyncCountingMedia media = _media[new LdevId(1)];
        for (int i = 0; i < 4; i++)
        {
            Assert.That((await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Write16(i * 8, 8), TargetRig.Pattern(4096, i))).IsGood, Is.True, "write " + i);
        }

        int syncsBefore = media.Syncs;
        bool durableBefore = media.IsDurable(24);
        ScsiResult sync = await host.ExecuteAsync(TargetRig.PortA, 1, sixteen ? SynchronizeCache16(0, 0) : SynchronizeCache10(0, 0));
        Assert.Multiple(() =>
        {
            Assert.That(syncsBefore, Is.Zero, "write-back answered the writes without a sync");
            Assert.That(durableBefore, Is.False, "so the last one was not durable yet");
            Assert.That(sync.IsGood, Is.True, "SYNCHRONIZE CACHE(" + (sixteen ? 16 : 10) + "): " + sync);
            Assert.That(media.Syncs, Is.EqualTo(1), "one fdatasync");
            Assert.That(media.IsDurable(0) && media.IsDurable(24), Is.True, "every acknowledged write is durable at its GOOD");
        });
    }

    [Test]
    public async Task AFuaWriteOnWriteBackIsDurableAtItsGoodAndAPlainOneIsNot()
    {
        InitiatorPort host = await ConnectAsync(WriteCachePolicy.WriteBack);
        SyncCountingMedia media = _media[new LdevId(1)];
        ScsiResult plain = await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Write16(0, 8), TargetRig.Pattern(4096, 1));
        bool plainDurable = media.IsDurable(0);
        byte[] fua = TargetRig.Write16(8, 8);
        fua[1] = 0x08;
        ScsiResult forced = await host.ExecuteAsync(TargetRig.PortA, 1, fua, TargetRig.Pattern(4096, 2));
        byte[] fua10 = [0x2A, 0x08, 0, 0, 0, 16, 0, 0, 8, 0];
        ScsiResult forced10 = await host.ExecuteAsync(TargetRig.PortA, 1, fua10, TargetRig.Pattern(4096, 3));
        Assert.Multiple(() =>
        {
            Assert.That(plain.IsGood && forced.IsGood && forced10.IsGood, Is.True, "all three writes GOOD");
            Assert.That(plainDurable, Is.False, "a plain write-back write is answered from the cache");
            Assert.That(media.IsDurable(8), Is.True, "WRITE(16) with FUA is durable at its GOOD");
            Assert.That(media.IsDurable(16), Is.True, "WRITE(10) with FUA is durable at its GOOD");
        });
    }

    [Test]
    public async Task AWriteThroughWriteIsDurableAtItsGood()
    {
        InitiatorPort host = await ConnectAsync(WriteCachePolicy.WriteThrough);
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Write16(40, 8), TargetRig.Pattern(4096, 4));
        Assert.That(result.IsGood, Is.True, result.ToString());
        Assert.That(_media[new LdevId(1)].IsDurable(40), Is.True, "write-through: synced before GOOD");
    }

    // Cells: LBA and block count against the 8192-block LDEV.
    [TestCase(0L, 0u, true)]
    [TestCase(8191L, 0u, true)]
    [TestCase(8191L, 1u, true)]
    [TestCase(0L, 8192u, true)]
    [TestCase(8192L, 0u, false)]
    [TestCase(8191L, 2u, false)]
    [TestCase(1L, 8192u, false)]
    public async Task SynchronizeCacheChecksItsRange(long lba, uint blocks, bool good)
    {
        InitiatorPort host = await ConnectAsync(WriteCachePolicy.WriteBack);
        ScsiResult sixteen = await host.ExecuteAsync(TargetRig.PortA, 1, SynchronizeCache16(lba, blocks));
        ScsiResult ten = await host.ExecuteAsync(TargetRig.PortA, 1, SynchronizeCache10((uint)lba, (ushort)blocks));
        Assert.Multiple(() =>
        {
            Assert.That(sixteen.IsGood, Is.EqualTo(good), "SYNCHRONIZE CACHE(16) LBA " + lba + " + " + blocks + ": " + sixteen);
            Assert.That(ten.IsGood, Is.EqualTo(good), "SYNCHRONIZE CACHE(10) LBA " + lba + " + " + blocks + ": " + ten);
            if (!good)
            {
                Assert.That(sixteen.Sense, Is.EqualTo(SenseData.LbaOutOfRange), "beyond the capacity: 05/21/00");
            }
        });
    }

    [Test]
    public async Task SynchronizeCacheWithImmedIsGoodAtOnceAndTheNextOneStillSyncs()
    {
        InitiatorPort host = await ConnectAsync(WriteCachePolicy.WriteBack);
        SyncCountingMedia media = _media[new LdevId(1)];
        Assert.That((await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Write16(0, 8), TargetRig.Pattern(4096, 5))).IsGood, Is.True);
        byte[] immediate = SynchronizeCache10(0, 0);
        immediate[1] = 0x02;
        ScsiResult first = await host.ExecuteAsync(TargetRig.PortA, 1, immediate);
        ScsiResult second = await host.ExecuteAsync(TargetRig.PortA, 1, SynchronizeCache10(0, 0));
        Assert.Multiple(() =>
        {
            Assert.That(first.IsGood, Is.True, "IMMED: GOOD once the CDB is checked: " + first);
            Assert.That(second.IsGood, Is.True, "a sync without IMMED: " + second);
            Assert.That(media.IsDurable(0), Is.True, "the write is durable by the GOOD of the sync without IMMED");
        });
    }

    // Cells: store policy -> the text of the vendor media VPD page (0xC0).
    [TestCase(WriteCachePolicy.VolatileMedium, "ram: volatile, all data is lost when the controller exits")]
    [TestCase(WriteCachePolicy.WriteThrough, "file write-through: acknowledged writes are on stable storage")]
    [TestCase(WriteCachePolicy.WriteBack, "file write-back: acknowledged writes survive a power cut only once synced")]
    public async Task TheMediaVpdPageSaysWhatTheLdevKeeps(WriteCachePolicy policy, string expected)
    {
        InitiatorPort host = await ConnectAsync(policy);
        byte[] pages = new byte[16];
        byte[] media = new byte[96];
        ScsiResult listed = await host.ExecuteAsync(TargetRig.PortA, 1, [0x12, 1, 0x00, 0, 16, 0], dataIn: pages);
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, [0x12, 1, 0xC0, 0, 96, 0], dataIn: media);
        int length = BinaryPrimitives.ReadUInt16BigEndian(media.AsSpan(2));
        Assert.Multiple(() =>
        {
            Assert.That(listed.IsGood && result.IsGood, Is.True, "INQUIRY VPD 0x00 and 0xC0: " + listed + ", " + result);
            Assert.That(pages.AsSpan(4, pages[3]).ToArray(), Is.EqualTo(new byte[] { 0x00, 0x80, 0x83, 0xC0 }), "page 0xC0 is listed");
            Assert.That(media[1], Is.EqualTo(0xC0), "page code");
            Assert.That(System.Text.Encoding.ASCII.GetString(media, 4, length), Is.EqualTo(expected), policy + ": the page says what survives");
        });
    }

    private static byte[] SynchronizeCache10(uint lba, ushort blocks)
    {
        byte[] cdb = new byte[10];
        cdb[0] = 0x35;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), blocks);
        return cdb;
    }

    private static byte[] SynchronizeCache16(long lba, uint blocks)
    {
        byte[] cdb = new byte[16];
        cdb[0] = 0x91;
        BinaryPrimitives.WriteInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), blocks);
        return cdb;
    }

    private async Task<InitiatorPort> ConnectAsync(WriteCachePolicy policy)
    {
        _rig = new TargetRig(media: id =>
        {
            SyncCountingMedia media = new(TargetRig.Blocks, policy);
            _media[id] = media;
            return media;
        });
        return await _rig.ConnectAsync();
    }
}
