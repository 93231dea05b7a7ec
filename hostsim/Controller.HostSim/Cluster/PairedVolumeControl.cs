// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Pairs;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Cluster;

/// <summary>
/// The paired volume control software of one host (seed 002 FIG 5 and FIG 6): it turns the clustering software's
/// SCSI reservation commands into pair commands on the host's determining volume. RESERVE (FIG 5): find the local
/// determining volume's attribute with PAIR STATUS (R2-29), send PAIR RESYNCHRONIZATION to a P-VOL or PAIR SWAP
/// RESYNCHRONIZATION to an S-VOL; NORMAL END is a successful reserve, ABNORMAL END (or no pair, or no storage) a
/// failed one. RELEASE (FIG 6) splits the pair, which re-arms the next arbitration; RESET does too when configured;
/// any other command passes through to the determining volume. Every pair command is logged (R2-28).
/// </summary>
internal sealed class PairedVolumeControl
{
    private readonly string _host;
    private readonly InitiatorPort _port;
    private readonly PairClient _client;
    private readonly TraceVolume _dv;
    private readonly PvcOptions _options;
    private readonly Action<PairCommandRecord> _log;
    private readonly Func<TimeSpan> _clock;

    // One request at a time, as a driver serializes its reservation commands: the owner's periodic re-reserve and a
    // RELEASE never interleave.
    private readonly SemaphoreSlim _one = new(1, 1);

    public PairedVolumeControl(string host, InitiatorPort port, PairClient client, TraceVolume dv, PvcOptions options, Func<TimeSpan> clock, Action<PairCommandRecord> log)
    {
        _host = host;
        _port = port;
        _client = client;
        _dv = dv;
        _options = options;
        _clock = clock;
        _log = log;
    }

    /// <summary>Gets whether this host holds the reservation: its last RESERVE succeeded and it has not released it.</summary>
    public bool Holding { get; private set; }

    /// <summary>Gets the number of pair commands this software has sent to the storage.</summary>
    public int StorageCommands { get; private set; }

    /// <summary>Gets the number of the owner's re-reserves (each with or without a storage command).</summary>
    public int ReReserves { get; private set; }

    /// <summary>FIG 5: RESERVE.</summary>
    /// <returns>True when the reserve succeeded (NORMAL END).</returns>
    public async Task<bool> ReserveAsync()
    {
        await _one.WaitAsync().ConfigureAwait(false);
        try
        {
            return await ReserveOnceAsync(defense: false).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>The owner's periodic re-reserve (MSCS's defense): a RESERVE while it holds the reservation; nothing when it does not.</summary>
    /// <returns>False when it held the reservation and lost it.</returns>
    public async Task<bool> DefendAsync()
    {
        await _one.WaitAsync().ConfigureAwait(false);
        try
        {
            return !Holding || await ReserveOnceAsync(defense: true).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<bool> ReserveOnceAsync(bool defense)
    {
        if (defense)
        {
            ReReserves++;
        }

        VolumeView before = await ViewAsync(_dv).ConfigureAwait(false);
        if (_options.OwnerReReserveWithoutCommand && Holding && before.Role == PairRole.PVol && before.State is PairState.Pair or PairState.Copy or PairState.CopyResync)
        {
            // The owner defends its reservation: it already holds the P-VOL of the copying or paired pair.
            _log(new PairCommandRecord(_clock(), _host, defense ? "RESERVE (periodic re-reserve)" : "RESERVE (re-reserve)", "none", _dv.ToString(), before, true, "the owner already holds the determining pair: success without a storage command", before));
            return true;
        }

        if (!before.Known || before.Role is null)
        {
            _log(new PairCommandRecord(_clock(), _host, "RESERVE", "none", _dv.ToString(), before, false, before.Known ? "the determining volume is not paired" : "the storage does not answer", before));
            Holding = false;
            return false;
        }

        bool normal = await SendAsync(defense ? "RESERVE (periodic re-reserve)" : "RESERVE", before.Role == PairRole.PVol ? CopyManagementOpcode.PairResync : CopyManagementOpcode.PairSwapResync, _dv, before).ConfigureAwait(false);
        Holding = normal;
        return normal;
    }

    /// <summary>FIG 6: RELEASE splits the determining pair back to SUSPENDED (NORMAL), re-arming it (R2-17).</summary>
    /// <returns>True when the split ended normally.</returns>
    public async Task<bool> ReleaseAsync()
    {
        await _one.WaitAsync().ConfigureAwait(false);
        try
        {
            VolumeView before = await ViewAsync(_dv).ConfigureAwait(false);
            bool normal = before.Role is not null && await SendAsync("RELEASE", CopyManagementOpcode.PairSplit, _dv, before).ConfigureAwait(false);
            Holding = false;
            return normal;
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>FIG 6: a bus or device RESET: a pair split like RELEASE when configured, else passed through (TEST UNIT READY).</summary>
    /// <returns>True when it re-armed the determining pair (a split that ended normally); false when it passed through.</returns>
    public async Task<bool> ResetAsync()
    {
        if (_options.ResetSplits)
        {
            return await ReleaseAsync().ConfigureAwait(false);
        }

        await PassThroughAsync(new byte[6]).ConfigureAwait(false);
        return false;
    }

    /// <summary>FIG 6: any other command goes unchanged to the determining volume.</summary>
    /// <param name="cdb">The command.</param>
    /// <returns>The storage's answer.</returns>
    public async Task<ScsiResult> PassThroughAsync(byte[] cdb)
    {
        return await _port.ExecuteAsync(_dv.PortId, _dv.Lun, cdb).ConfigureAwait(false);
    }

    /// <summary>Sends a pair command to one of this host's volumes and logs it (R2-28).</summary>
    /// <param name="request">What the clustering software asked.</param>
    /// <param name="opcode">The pair command.</param>
    /// <param name="volume">The volume.</param>
    /// <param name="before">Its view before.</param>
    /// <param name="readWrite">For a split: the S-VOL becomes read/write (an S-VOL takeover of a PSUE S-VOL).</param>
    /// <returns>True for NORMAL END.</returns>
    public async Task<bool> SendAsync(string request, CopyManagementOpcode opcode, TraceVolume volume, VolumeView before, bool readWrite = false)
    {
        string response;
        bool normal;
        TimeSpan sent = _clock();
        try
        {
            StorageCommands++;
            CopyManagementRequest command = opcode == CopyManagementOpcode.PairSplit ? CopyManagementRequest.ForPairSplit(before.Pair, readWrite) : CopyManagementRequest.ForPair(opcode, before.Pair);
            ScsiResult result = await _client.ExecuteAsync(command).ConfigureAwait(false);
            normal = result.IsGood;
            response = PairClient.Describe(result);
        }
        catch (InitiatorException e)
        {
            normal = false;
            response = "no answer: " + e.Message;
        }

        VolumeView after = await ViewAsync(volume).ConfigureAwait(false);
        _log(new PairCommandRecord(_clock(), _host, request, NameOf(opcode, readWrite), volume.ToString(), before, normal, response, after) { Sent = sent });
        return normal;
    }

    /// <summary>PAIR STATUS of this host's storage, for one of its volumes (R2-29).</summary>
    /// <param name="volume">The volume.</param>
    /// <returns>Its view, or <see cref="VolumeView.Unknown"/> when the storage does not answer.</returns>
    public async Task<VolumeView> ViewAsync(TraceVolume volume)
    {
        try
        {
            return VolumeView.Of(await _client.StatusAsync().ConfigureAwait(false), volume);
        }
        catch (InitiatorException)
        {
            return VolumeView.Unknown;
        }
    }

    private static string NameOf(CopyManagementOpcode opcode, bool readWrite)
    {
        return opcode switch
        {
            CopyManagementOpcode.PairResync => "PAIR RESYNCHRONIZATION",
            CopyManagementOpcode.PairSwapResync => "PAIR SWAP RESYNCHRONIZATION",
            CopyManagementOpcode.PairSplit => readWrite ? "PAIR SPLIT read/write (S-VOL takeover)" : "PAIR SPLIT",
            _ => opcode.ToString(),
        };
    }
}
