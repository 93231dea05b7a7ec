// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Controller.Initiator;

namespace Controller.HostSim.Pairs;

/// <summary>
/// Finds a port's command device the way a host's pair software does: REPORT LUNS, then INQUIRY of each LUN, the first
/// whose product identification ends in "-CM" (docs/protocol.md, "Copy-management security").
/// </summary>
internal static class CommandDeviceFinder
{
    /// <summary>The product identification suffix of a command device.</summary>
    public const string ProductSuffix = "-CM";

    private const byte ReportLunsOpcode = 0xA0;
    private const byte InquiryOpcode = 0x12;
    private const int ReportLunsEntries = 256;
    private const int StandardInquiryLength = 36;

    /// <summary>Finds the first command device this host sees on a port.</summary>
    /// <param name="port">The host's login to the port.</param>
    /// <param name="portId">The port.</param>
    /// <returns>Its LUN, or null when none of the LUNs the host sees there is one.</returns>
    public static async Task<ushort?> FindAsync(InitiatorPort port, int portId)
    {
        foreach (ushort lun in await ReportLunsAsync(port, portId).ConfigureAwait(false))
        {
            if (await IsCommandDeviceAsync(port, portId, lun).ConfigureAwait(false))
            {
                return lun;
            }
        }

        return null;
    }

    /// <summary>REPORT LUNS (SPC-4, select report 0) to the well-known LUN 0 of a port: the LUNs this host sees there.</summary>
    /// <param name="port">The host's login to the port.</param>
    /// <param name="portId">The port.</param>
    /// <returns>The LUNs.</returns>
    /// <exception cref="InitiatorException">The command failed.</exception>
    public static async Task<ushort[]> ReportLunsAsync(InitiatorPort port, int portId)
    {
        ArgumentNullException.ThrowIfNull(port);
        byte[] data = new byte[8 + (8 * ReportLunsEntries)];
        byte[] cdb = new byte[12];
        cdb[0] = ReportLunsOpcode;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), (uint)data.Length);
        ScsiResult result = await port.ExecuteAsync(portId, 0, cdb, dataIn: data).ConfigureAwait(false);
        if (!result.IsGood || result.DataInLength < 8)
        {
            throw new InitiatorException("REPORT LUNS on port 0x" + portId.ToString("X6", CultureInfo.InvariantCulture) + " failed: " + result);
        }

        int count = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data) / 8, (uint)((result.DataInLength - 8) / 8));
        ushort[] luns = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            // Peripheral (0x00) or flat space (0x40) addressing: the LUN is the low 14 bits of the first two bytes.
            luns[i] = (ushort)(((data[8 + (8 * i)] & 0x3F) << 8) | data[9 + (8 * i)]);
        }

        return luns;
    }

    private static async Task<bool> IsCommandDeviceAsync(InitiatorPort port, int portId, ushort lun)
    {
        byte[] data = new byte[StandardInquiryLength];
        byte[] cdb = new byte[6];
        cdb[0] = InquiryOpcode;
        cdb[4] = StandardInquiryLength;
        ScsiResult result = await port.ExecuteAsync(portId, lun, cdb, dataIn: data).ConfigureAwait(false);
        if (!result.IsGood || result.DataInLength < 32)
        {
            return false;
        }

        // Product identification: bytes 16-31, ASCII, padded with spaces.
        return Encoding.ASCII.GetString(data, 16, 16).TrimEnd().EndsWith(ProductSuffix, StringComparison.Ordinal);
    }
}
