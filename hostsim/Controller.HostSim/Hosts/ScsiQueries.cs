// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Globalization;
using Controller.Initiator;

namespace Controller.HostSim.Hosts;

/// <summary>The SCSI questions a host asks before it loads a LUN.</summary>
internal static class ScsiQueries
{
    /// <summary>READ CAPACITY(16): the LUN's capacity in 512-byte blocks.</summary>
    /// <param name="port">A host port logged in to the target port.</param>
    /// <param name="targetPortId">The target port.</param>
    /// <param name="lun">The LUN.</param>
    /// <returns>The number of blocks (the last LBA + 1).</returns>
    /// <exception cref="InitiatorException">The command failed.</exception>
    public static async Task<long> ReadCapacityBlocksAsync(InitiatorPort port, int targetPortId, ushort lun)
    {
        byte[] cdb = new byte[16];
        cdb[0] = 0x9E; // SERVICE ACTION IN(16)
        cdb[1] = 0x10; // READ CAPACITY(16)
        BinaryPrimitives.WriteInt32BigEndian(cdb.AsSpan(10), 32);
        byte[] data = new byte[32];
        ScsiResult result = await port.ExecuteAsync(targetPortId, lun, cdb, dataIn: data).ConfigureAwait(false);
        if (!result.IsGood)
        {
            throw new InitiatorException("READ CAPACITY(16) of 0x" + targetPortId.ToString("X6", CultureInfo.InvariantCulture) + ",0x" + lun.ToString("X4", CultureInfo.InvariantCulture) + " failed: " + result);
        }

        return BinaryPrimitives.ReadInt64BigEndian(data) + 1;
    }
}
