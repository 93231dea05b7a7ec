// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Initiator;
using Controller.Traces;
using Controller.Wire;
using Controller.Wire.Scsi;
using Controller.Workload;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The crash test's writes: <c>queueDepth</c> loops, each with one WRITE(16) outstanding at a time, of 1 to
/// <see cref="MaxBlocks"/> stamped blocks at a seeded random volume and LBA (never overlapping a write in flight:
/// <see cref="WriteLedger.TryBegin"/>), every one registered in the ledger before it is sent and completed by its
/// answer; the kill closes the connection, which fails every outstanding write: those are in doubt.
/// </summary>
internal sealed class StampedLoad
{
    /// <summary>The largest write, in blocks (8 KiB).</summary>
    public const int MaxBlocks = 16;

    private readonly WriteLedger _ledger;
    private readonly IReadOnlyList<TraceVolume> _volumes;
    private readonly InitiatorPort _port;
    private readonly int _queueDepth;
    private readonly ulong _seed;
    private readonly Func<int, ScsiResult, bool>? _mayRefuse;
    private volatile bool _stopping;

    /// <summary>Initializes a load; <see cref="RunAsync"/> starts it.</summary>
    /// <param name="ledger">The ledger every write goes into.</param>
    /// <param name="volumes">The volumes, by the ledger's index.</param>
    /// <param name="port">A host port logged in to the volumes' target port.</param>
    /// <param name="queueDepth">The writes in flight.</param>
    /// <param name="seed">The seed of the volumes, LBAs and sizes.</param>
    /// <param name="mayRefuse">
    /// Whether an answer other than GOOD is one the controller gives by design at that moment (the determining pair's
    /// old P-VOL, write-protected once a swap resync turned it into the S-VOL): such a write did not run. Null: none.
    /// </param>
    public StampedLoad(WriteLedger ledger, IReadOnlyList<TraceVolume> volumes, InitiatorPort port, int queueDepth, ulong seed, Func<int, ScsiResult, bool>? mayRefuse = null)
    {
        _mayRefuse = mayRefuse;
        _ledger = ledger;
        _volumes = volumes;
        _port = port;
        _queueDepth = queueDepth;
        _seed = seed;
    }

    /// <summary>Gets the first failure that stopped a loop other than the closed connection, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>Runs the loops until <see cref="Stop"/> or until the connection closes (the kill).</summary>
    /// <returns>A task that completes when every loop has ended, with no write in flight.</returns>
    public Task RunAsync()
    {
        Task[] loops = new Task[_queueDepth];
        for (int slot = 0; slot < _queueDepth; slot++)
        {
            int seed = unchecked((int)(_seed * 0x9E3779B97F4A7C15UL >> 32) ^ (slot * 7919));
            loops[slot] = Task.Run(() => LoopAsync(new Random(seed)));
        }

        return Task.WhenAll(loops);
    }

    /// <summary>Sends no further write; those in flight complete.</summary>
    public void Stop()
    {
        _stopping = true;
    }

    private async Task LoopAsync(Random random)
    {
        byte[] data = new byte[MaxBlocks * BlockStamp.BlockSize];
        byte[] cdb = new byte[BlockCdb.Length16];
        while (!_stopping)
        {
            int volume = random.Next(_volumes.Count);
            int blocks = 1 + random.Next(MaxBlocks);
            long lba = random.NextInt64(_ledger.BlocksPerVolume - blocks + 1);
            LedgerWrite? write = _ledger.TryBegin(volume, lba, blocks);
            if (write is null)
            {
                continue;
            }

            Memory<byte> payload = data.AsMemory(0, blocks * BlockStamp.BlockSize);
            BlockStamp.Write(payload.Span, write.Id, volume, lba, dependsOn: 0);
            BlockCdb.Write(cdb, BlockCdb.Write16, lba, (uint)blocks);
            ScsiResult result;
            try
            {
                result = await _port.ExecuteAsync(_volumes[volume].PortId, _volumes[volume].Lun, cdb, dataOut: payload).ConfigureAwait(false);
            }
            catch (InitiatorException)
            {
                // The connection closed (the kill): the write may or may not have landed.
                _ledger.Complete(write, WriteOutcome.InDoubt);
                return;
            }

            if (result.IsGood)
            {
                _ledger.Complete(write, WriteOutcome.Acknowledged);
            }
            else if (result.Status is FcpResponse.Busy or FcpResponse.TaskSetFull || (_mayRefuse is not null && _mayRefuse(volume, result)))
            {
                _ledger.Complete(write, WriteOutcome.Refused);
            }
            else
            {
                _ledger.Complete(write, WriteOutcome.NotGood, result.ToString());
                Failure ??= write + ": " + result;
            }
        }
    }
}
