// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Volumes;
using Controller.Wire;

namespace Controller.Target.Scsi;

/// <summary>
/// The commands that describe the logical unit: INQUIRY (standard data and VPD pages 0x00, 0x80, 0x83, 0xC0 media),
/// REPORT LUNS, READ CAPACITY (10 and 16), MODE SENSE (6 and 10) and REQUEST SENSE.
/// </summary>
internal sealed partial class ScsiCommandSet
{
    /// <summary>T10 vendor identification, 8 bytes.</summary>
    public const string VendorId = "CTLSIM  ";

    /// <summary>Product identification, 16 bytes.</summary>
    public const string ProductId = "FIRMWARE SIM    ";

    /// <summary>
    /// Product identification of a command device, 16 bytes: as arrays mark theirs with a "-CM" product suffix, so a
    /// host's pair software finds the LUN to send copy-management commands to by INQUIRY alone.
    /// </summary>
    public const string CommandDeviceProductId = "FIRMWARE SIM-CM ";

    /// <summary>Product revision, 4 bytes.</summary>
    public const string Revision = "0004";

    /// <summary>The unit serial number (VPD 0x80) of an LDEV: the vendor, then the LDEV number in hex.</summary>
    public static string SerialNumberOf(LdevId ldev)
    {
        return "CTLSIM" + ldev.Value.ToString("X4", CultureInfo.InvariantCulture);
    }

    /// <summary>The NAA designator (VPD 0x83) of an LDEV: NAA 3 (locally assigned), "CTL", then the LDEV number.</summary>
    public static ulong NaaOf(LdevId ldev)
    {
        return 0x3000_0000_0000_0000UL | (0x43544CUL << 32) | ldev.Value;
    }

    /// <summary>
    /// The vendor-specific VPD page (SPC-4 allows C0h-FFh) that says in ASCII what the LDEV's media keeps: a host (or
    /// sg_inq) can tell a RAM LDEV, which loses everything when the controller exits, from a file one.
    /// </summary>
    public const byte MediaPage = 0xC0;

    /// <summary>The text of the media VPD page for a store policy.</summary>
    /// <param name="policy">The LDEV's write cache policy.</param>
    /// <returns>At most 80 ASCII characters.</returns>
    public static string MediaDescriptionOf(WriteCachePolicy policy)
    {
        return policy switch
        {
            WriteCachePolicy.WriteThrough => "file write-through: acknowledged writes are on stable storage",
            WriteCachePolicy.WriteBack => "file write-back: acknowledged writes survive a power cut only once synced",
            _ => "ram: volatile, all data is lost when the controller exits",
        };
    }

    private static ushort AllocationLength16(ReadOnlySpan<byte> cdb, int at)
    {
        return BinaryPrimitives.ReadUInt16BigEndian(cdb[at..]);
    }

    private void Inquiry(ScsiExchange exchange, Login login, Ldev? ldev)
    {
        ReadOnlySpan<byte> cdb = exchange.Cdb;
        bool vitalProductData = (cdb[1] & 0x01) != 0;
        byte page = cdb[2];
        int allocation = Math.Min((int)AllocationLength16(cdb, 3), exchange.DataLength);
        if ((cdb[1] & 0xFE) != 0 || (!vitalProductData && page != 0))
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, "INQUIRY with EVPD 0 and page code 0x" + page.ToString("X2", CultureInfo.InvariantCulture));
            return;
        }

        Span<byte> data = stackalloc byte[96];
        data.Clear();
        int length;
        if (!vitalProductData)
        {
            // SPC-4: a LUN with no logical unit answers with peripheral qualifier 011b, device type 1Fh.
            data[0] = ldev is null ? (byte)0x7F : (byte)0x00;
            data[2] = 0x06;
            data[3] = 0x12;
            data[4] = 36 - 5;
            data[7] = 0x02;
            Encoding.ASCII.GetBytes(VendorId, data[8..]);
            bool commandDevice = ldev is not null && _frontEnd.Options.CommandDevices is IReadOnlySet<LdevId> devices && devices.Contains(ldev.Id);
            Encoding.ASCII.GetBytes(commandDevice ? CommandDeviceProductId : ProductId, data[16..]);
            Encoding.ASCII.GetBytes(Revision, data[32..]);
            length = 36;
        }
        else if (ldev is null)
        {
            exchange.Refuse(SenseData.LogicalUnitNotSupported, "INQUIRY VPD page 0x" + page.ToString("X2", CultureInfo.InvariantCulture) + " of LUN 0x" + exchange.Lun.ToString("X4", CultureInfo.InvariantCulture) + ", which has no logical unit");
            return;
        }
        else
        {
            data[1] = page;
            switch (page)
            {
                case 0x00:
                    data[3] = 4;
                    data[4] = 0x00;
                    data[5] = 0x80;
                    data[6] = 0x83;
                    data[7] = MediaPage;
                    length = 8;
                    break;
                case 0x80:
                    string serial = SerialNumberOf(ldev.Id);
                    data[3] = (byte)serial.Length;
                    Encoding.ASCII.GetBytes(serial, data[4..]);
                    length = 4 + serial.Length;
                    break;
                case 0x83:
                    length = DeviceIdentification(data, ldev, login);
                    break;
                case MediaPage:
                    string media = MediaDescriptionOf(ldev.Media.CachePolicy);
                    BinaryPrimitives.WriteUInt16BigEndian(data[2..], (ushort)media.Length);
                    Encoding.ASCII.GetBytes(media, data[4..]);
                    length = 4 + media.Length;
                    break;
                default:
                    exchange.Refuse(SenseData.InvalidFieldInCdb, "INQUIRY VPD page 0x" + page.ToString("X2", CultureInfo.InvariantCulture) + " is not supported (pages 0x00, 0x80, 0x83, 0xC0 are)");
                    return;
            }
        }

        byte[] buffer = exchange.RentData(length);
        data[..length].CopyTo(buffer);
        exchange.RespondWithData(Math.Min(length, allocation));
    }

    // VPD 0x83: the LDEV's identity as designators: NAA (binary), T10 vendor ID (ASCII), relative target port.
    private int DeviceIdentification(Span<byte> data, Ldev ldev, Login login)
    {
        int at = 4;
        data[at] = 0x01;
        data[at + 1] = 0x03;
        data[at + 3] = 8;
        BinaryPrimitives.WriteUInt64BigEndian(data[(at + 4)..], NaaOf(ldev.Id));
        at += 12;

        string t10 = VendorId + "LDEV " + ldev.Id;
        data[at] = 0x02;
        data[at + 1] = 0x01;
        data[at + 3] = (byte)t10.Length;
        Encoding.ASCII.GetBytes(t10, data[(at + 4)..]);
        at += 4 + t10.Length;

        // Association 01b (target port), type 4 (relative target port identifier).
        data[at] = 0x01;
        data[at + 1] = 0x14;
        data[at + 3] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(data[(at + 6)..], (ushort)_frontEnd.RelativePortOf(login.Port));
        at += 8;

        data[1] = 0x83;
        BinaryPrimitives.WriteUInt16BigEndian(data[2..], (ushort)(at - 4));
        return at;
    }

    private void ReportLuns(ScsiExchange exchange, Login login)
    {
        ReadOnlySpan<byte> cdb = exchange.Cdb;
        uint allocation = BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);
        if (cdb[2] > 2 || allocation < 16)
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, "REPORT LUNS with select report 0x" + cdb[2].ToString("X2", CultureInfo.InvariantCulture) + " and allocation length " + allocation + " (at least 16)");
            return;
        }

        Lun[] luns = login.Port.GetVisibleLuns(login.Initiator);
        int length = 8 + (8 * luns.Length);
        byte[] buffer = exchange.RentData(length);
        buffer.AsSpan(0, length).Clear();
        BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)(8 * luns.Length));
        for (int i = 0; i < luns.Length; i++)
        {
            // SAM single level: peripheral addressing below 256, flat space addressing above.
            ushort lun = luns[i].Value;
            int at = 8 + (8 * i);
            buffer[at] = lun < 256 ? (byte)0 : (byte)(0x40 | (lun >> 8));
            buffer[at + 1] = (byte)lun;
        }

        exchange.RespondWithData((int)Math.Min((uint)length, allocation));
    }

    private static void ReadCapacity10(ScsiExchange exchange)
    {
        // SBC-3 5.15: with PMI 0 the LOGICAL BLOCK ADDRESS field must be 0.
        ReadOnlySpan<byte> cdb = exchange.Cdb;
        if ((cdb[8] & 0x01) == 0 && BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]) != 0)
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, "READ CAPACITY(10) with PMI 0 and LBA " + BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]));
            return;
        }

        long last = exchange.Ldev!.BlockCount - 1;
        byte[] buffer = exchange.RentData(8);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, last > uint.MaxValue ? uint.MaxValue : (uint)last);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), BlockSize);
        exchange.RespondWithData(8);
    }

    private static void ReadCapacity16(ScsiExchange exchange)
    {
        ReadOnlySpan<byte> cdb = exchange.Cdb;
        if ((cdb[1] & 0x1F) != 0x10)
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, "SERVICE ACTION IN(16) service action 0x" + (cdb[1] & 0x1F).ToString("X2", CultureInfo.InvariantCulture) + " (only 0x10, READ CAPACITY(16))");
            return;
        }

        uint allocation = BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]);
        byte[] buffer = exchange.RentData(32);
        buffer.AsSpan(0, 32).Clear();
        BinaryPrimitives.WriteUInt64BigEndian(buffer, (ulong)(exchange.Ldev!.BlockCount - 1));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8), BlockSize);
        exchange.RespondWithData((int)Math.Min(32u, allocation));
    }

    // MODE SENSE(6) and (10), SPC-4 6.11/6.12: the mode parameter header, one short block descriptor unless DBD, and
    // the caching page (08h) for page 08h or 3Fh. WCE is the LDEV's store policy (docs/controllerd.md, "Stores"):
    // 1 only for a write-back file store, where an acknowledged write may still be in the page cache; 0 for a
    // write-through file store (synced before GOOD) and for RAM (the medium itself; no cache in front to flush).
    // Nothing is changeable (no MODE SELECT): page control 1 reports all zeros. The device-specific parameter sets
    // DPOFUA: WRITE's FUA bit is honoured, so a host may use it instead of a whole-cache sync.
    private static void ModeSense(ScsiExchange exchange)
    {
        ReadOnlySpan<byte> cdb = exchange.Cdb;
        bool ten = cdb[0] == ScsiOpcode.ModeSense10;
        bool noBlockDescriptor = (cdb[1] & 0x08) != 0;
        int pageControl = cdb[2] >> 6;
        int page = cdb[2] & 0x3F;
        int allocation = ten ? AllocationLength16(cdb, 7) : cdb[4];
        if (pageControl == 3)
        {
            // 05/39/00 SAVING PARAMETERS NOT SUPPORTED.
            exchange.Refuse(new SenseData(SenseData.IllegalRequest, 0x39, 0x00), "MODE SENSE of saved values");
            return;
        }

        if (page is not (0x00 or 0x08 or 0x3F) || cdb[3] != 0)
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, "MODE SENSE(" + (ten ? "10" : "6") + ") page 0x" + page.ToString("X2", CultureInfo.InvariantCulture) + " subpage 0x" + cdb[3].ToString("X2", CultureInfo.InvariantCulture) + " (pages 0x08 caching and 0x3F all are supported)");
            return;
        }

        int header = ten ? 8 : 4;
        byte[] buffer = exchange.RentData(header + 8 + 20);
        Span<byte> data = buffer.AsSpan(0, header + 8 + 20);
        data.Clear();
        const byte DpoFua = 0x10;
        data[ten ? 3 : 2] = pageControl == 1 ? (byte)0 : DpoFua;
        int at = header;
        if (!noBlockDescriptor)
        {
            data[ten ? 7 : 3] = 8;
            long blocks = exchange.Ldev!.BlockCount;
            BinaryPrimitives.WriteUInt32BigEndian(data[at..], blocks > uint.MaxValue ? uint.MaxValue : (uint)blocks);
            BinaryPrimitives.WriteUInt32BigEndian(data[(at + 4)..], BlockSize);
            at += 8;
        }

        if (page != 0x00)
        {
            data[at] = 0x08;
            data[at + 1] = 0x12;
            if (pageControl != 1 && exchange.Ldev!.Media.CachePolicy == WriteCachePolicy.WriteBack)
            {
                data[at + 2] = 0x04;
            }

            at += 20;
        }

        if (ten)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(at - 2));
        }
        else
        {
            data[0] = (byte)(at - 1);
        }

        exchange.RespondWithData(Math.Min(at, allocation));
    }

    private static void RequestSense(ScsiExchange exchange)
    {
        // Sense is always returned with the failed command (autosense); there is none pending (a pending unit
        // attention was taken before this: Execute).
        RespondWithSense(exchange, new SenseData(0, 0, 0));
    }

    /// <summary>REQUEST SENSE's answer: GOOD, the sense data as data-in (fixed format), cut to the allocation length.</summary>
    private static void RespondWithSense(ScsiExchange exchange, SenseData sense)
    {
        byte[] buffer = exchange.RentData(SenseData.Length);
        sense.TryWrite(buffer);
        exchange.RespondWithData(Math.Min(SenseData.Length, (int)exchange.Cdb[4]));
    }
}
