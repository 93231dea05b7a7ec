// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Controller.HostSim.Core.Hosts;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire.Scsi;

namespace Controller.HostSim.Core.Load;

/// <summary>
/// Sends a load's commands as READ(16) and WRITE(16) through initiator ports (one per target port). Each queue
/// slot owns a CDB and a data buffer, so nothing is allocated per command; each written block carries its LBA and
/// the slot's write count in its first 16 bytes, so what a later read returns tells which write put it there.
/// </summary>
public sealed class ScsiLoadTarget : ILoadTarget
{
    private readonly IReadOnlyList<TraceVolume> _volumes;
    private readonly InitiatorPort[] _ports;
    private readonly byte[][] _cdbs;
    private readonly byte[][] _data;
    private readonly long[] _writeCounts;

    /// <summary>Initializes a target.</summary>
    /// <param name="volumes">The load's volumes, in its LUN-set order.</param>
    /// <param name="ports">The initiator port logged in to each volume's target port, in the same order.</param>
    /// <param name="slots">The load's queue depth.</param>
    /// <param name="maxBlocks">The largest command, in blocks.</param>
    public ScsiLoadTarget(IReadOnlyList<TraceVolume> volumes, InitiatorPort[] ports, int slots, int maxBlocks)
    {
        _volumes = volumes;
        _ports = ports;
        _cdbs = new byte[slots][];
        _data = new byte[slots][];
        _writeCounts = new long[slots];
        for (int i = 0; i < slots; i++)
        {
            _cdbs[i] = new byte[BlockCdb.Length16];
            _data[i] = new byte[maxBlocks * 512];
            Array.Fill(_data[i], (byte)(0xA0 + (i & 0x0F)));
        }
    }

    /// <summary>Gets the barrier every command passes (a recorded load: copy-management commands go alone), or null.</summary>
    public CommandBarrier? Barrier { get; init; }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ExecuteAsync(int slot, LoadIo io)
    {
        if (Barrier is null)
        {
            return await SendAsync(slot, io).ConfigureAwait(false);
        }

        await Barrier.EnterAsync().ConfigureAwait(false);
        try
        {
            return await SendAsync(slot, io).ConfigureAwait(false);
        }
        finally
        {
            Barrier.Exit();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> SendAsync(int slot, LoadIo io)
    {
        byte[] cdb = _cdbs[slot];
        Memory<byte> data = _data[slot].AsMemory(0, io.Blocks * 512);
        BlockCdb.Write(cdb, io.IsWrite ? BlockCdb.Write16 : BlockCdb.Read16, io.Lba, (uint)io.Blocks);
        TraceVolume volume = _volumes[io.Volume];
        ScsiResult result;
        if (io.IsWrite)
        {
            long count = ++_writeCounts[slot];
            Span<byte> bytes = data.Span;
            for (int block = 0; block < io.Blocks; block++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(bytes[(block * 512)..], io.Lba + block);
                BinaryPrimitives.WriteInt64LittleEndian(bytes[((block * 512) + 8)..], (count << 16) | (uint)slot);
            }

            result = await _ports[io.Volume].ExecuteAsync(volume.PortId, volume.Lun, cdb, dataOut: data).ConfigureAwait(false);
        }
        else
        {
            result = await _ports[io.Volume].ExecuteAsync(volume.PortId, volume.Lun, cdb, dataIn: data).ConfigureAwait(false);
        }

        return result.IsGood;
    }
}
