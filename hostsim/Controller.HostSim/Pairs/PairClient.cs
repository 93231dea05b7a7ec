// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Core.Hosts;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Pairs;

/// <summary>
/// Pair operations as a host sends them: the vendor copy-management CDBs of docs/protocol.md over FCP, addressed to
/// a LUN of the controller (the command device; any mapped LUN serves), the same against an embedded controller and
/// controllerd.
/// </summary>
internal sealed class PairClient
{
    private const int StatusRows = 512;
    private readonly InitiatorPort _port;
    private readonly CommandBarrier? _barrier;
    private readonly Action? _posted;
    private TraceVolume _commandDevice;
    private bool _commandDeviceKnown;

    /// <summary>Initializes a client.</summary>
    /// <param name="port">A host port logged in to the command device's target port.</param>
    /// <param name="commandDevice">
    /// The LUN the commands are addressed to; unless <paramref name="findCommandDevice"/> is false, only a fallback: the
    /// first command looks for a command device on that port (INQUIRY product ...-CM) and uses it if there is one.
    /// </param>
    /// <param name="barrier">When given, each command is sent alone (a recorded load), or null.</param>
    /// <param name="posted">Called once each command is posted to the connection's outbox (in send order), or null.</param>
    /// <param name="findCommandDevice">False when <paramref name="commandDevice"/> is known to be the one to use.</param>
    public PairClient(InitiatorPort port, TraceVolume commandDevice, CommandBarrier? barrier = null, Action? posted = null, bool findCommandDevice = true)
    {
        _port = port;
        _commandDevice = commandDevice;
        _commandDeviceKnown = !findCommandDevice;
        _barrier = barrier;
        _posted = posted;
    }

    /// <summary>Converts a volume to its wire form.</summary>
    /// <param name="volume">The volume.</param>
    /// <returns>Its wire identifier.</returns>
    public static WireVolumeId Wire(TraceVolume volume)
    {
        return new WireVolumeId(new PortId((uint)volume.PortId), volume.Lun);
    }

    /// <summary>Says what a pair command's answer means: GOOD, or the pair error code the sense carries.</summary>
    /// <param name="result">The answer.</param>
    /// <returns>A short text.</returns>
    public static string Describe(in ScsiResult result)
    {
        if (result.IsGood)
        {
            return "GOOD";
        }

        if (result.Sense is SenseData sense && sense.Key == SenseData.IllegalRequest && sense.Code == 0x80)
        {
            return result + " (" + (PairErrorCode)sense.Qualifier + ")";
        }

        return result.ToString();
    }

    /// <summary>Sends a copy-management command.</summary>
    /// <param name="request">The command.</param>
    /// <returns>The answer.</returns>
    public async Task<ScsiResult> ExecuteAsync(CopyManagementRequest request)
    {
        byte[] parameters = new byte[request.GetParameterListLength()];
        if (!request.TryWrite(parameters, out _, out string? reason))
        {
            throw new ArgumentException("the copy-management request cannot be encoded: " + reason, nameof(request));
        }

        byte[] cdb = new byte[CopyManagementCdb.Length];
        request.ToCdb().TryWrite(cdb);
        return await SendAsync(cdb, parameters, default).ConfigureAwait(false);
    }

    /// <summary>Reads the Copy Management Table (PAIR STATUS).</summary>
    /// <returns>Its rows.</returns>
    /// <exception cref="InitiatorException">The command failed or its data is malformed.</exception>
    public async Task<PairStatusRow[]> StatusAsync()
    {
        byte[] data = new byte[8 + (StatusRows * PairStatusRow.Length)];
        byte[] cdb = new byte[CopyManagementCdb.Length];
        new CopyManagementCdb(CopyManagementOpcode.PairStatus, false, default, (uint)data.Length).TryWrite(cdb);
        ScsiResult result = await SendAsync(cdb, default, data).ConfigureAwait(false);
        if (!result.IsGood)
        {
            throw new InitiatorException("PAIR STATUS failed: " + Describe(result));
        }

        if (!PairStatusData.TryRead(data.AsSpan(0, result.DataInLength), out PairStatusRow[] rows, out _, out string? reason))
        {
            throw new InitiatorException("PAIR STATUS data is malformed: " + reason);
        }

        return rows;
    }

    /// <summary>Finds a pair's row.</summary>
    /// <param name="pair">The pair.</param>
    /// <returns>Its row, or null when the table has none.</returns>
    public async Task<PairStatusRow?> FindAsync(WirePair pair)
    {
        foreach (PairStatusRow row in await StatusAsync().ConfigureAwait(false))
        {
            if (row.PVol == pair.PVol && row.SVol == pair.SVol)
            {
                return row;
            }
        }

        return null;
    }

    /// <summary>Creates local mirrors and waits until each is in PAIR (its initial copy done).</summary>
    /// <param name="mirrors">The pairs.</param>
    /// <param name="timeout">How long each may take.</param>
    /// <exception cref="InitiatorException">A PAIR CREATE was refused, or a pair did not reach PAIR in time.</exception>
    public async Task CreateAndWaitAsync(IReadOnlyList<(TraceVolume PVol, TraceVolume SVol)> mirrors, TimeSpan timeout)
    {
        foreach ((TraceVolume pVol, TraceVolume sVol) in mirrors)
        {
            WirePair pair = new(Wire(pVol), Wire(sVol));
            ScsiResult created = await ExecuteAsync(CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, pair)).ConfigureAwait(false);
            if (!created.IsGood)
            {
                throw new InitiatorException("PAIR CREATE " + pair + ": " + Describe(created));
            }
        }

        await WaitForPairAsync(mirrors, timeout).ConfigureAwait(false);
    }

    /// <summary>Resyncs split mirrors and waits until each is in PAIR again.</summary>
    /// <param name="mirrors">The pairs.</param>
    /// <param name="timeout">How long each may take.</param>
    /// <exception cref="InitiatorException">A PAIR RESYNC was refused, or a pair did not reach PAIR in time.</exception>
    public async Task ResyncAndWaitAsync(IReadOnlyList<(TraceVolume PVol, TraceVolume SVol)> mirrors, TimeSpan timeout)
    {
        foreach ((TraceVolume pVol, TraceVolume sVol) in mirrors)
        {
            WirePair pair = new(Wire(pVol), Wire(sVol));
            ScsiResult resynced = await ExecuteAsync(CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, pair)).ConfigureAwait(false);
            if (!resynced.IsGood)
            {
                throw new InitiatorException("PAIR RESYNC " + pair + ": " + Describe(resynced));
            }
        }

        await WaitForPairAsync(mirrors, timeout).ConfigureAwait(false);
    }

    /// <summary>Splits mirrors at one point: ATOMIC SPLIT by pair list.</summary>
    /// <param name="mirrors">The pairs.</param>
    /// <param name="mechanism">Freeze or sequence cut.</param>
    /// <returns>The answer and the time from sending the command to it.</returns>
    public async Task<(ScsiResult Result, TimeSpan Latency)> AtomicSplitAsync(IReadOnlyList<(TraceVolume PVol, TraceVolume SVol)> mirrors, AtomicSplitMechanism mechanism)
    {
        WirePair[] members = new WirePair[mirrors.Count];
        for (int i = 0; i < members.Length; i++)
        {
            members[i] = new WirePair(Wire(mirrors[i].PVol), Wire(mirrors[i].SVol));
        }

        SplitMechanism wire = mechanism == AtomicSplitMechanism.Freeze ? SplitMechanism.Freeze : SplitMechanism.SequenceCut;
        long start = Stopwatch.GetTimestamp();
        ScsiResult result = await ExecuteAsync(CopyManagementRequest.ForAtomicSplit(members, wire, readWrite: false)).ConfigureAwait(false);
        return (result, Stopwatch.GetElapsedTime(start));
    }

    /// <summary>Reads the rows of some pairs from PAIR STATUS, in the order given (pairs the table lacks are left out).</summary>
    /// <param name="mirrors">The pairs.</param>
    /// <returns>Their rows.</returns>
    public async Task<List<PairStatusRow>> RowsAsync(IReadOnlyList<(TraceVolume PVol, TraceVolume SVol)> mirrors)
    {
        PairStatusRow[] rows = await StatusAsync().ConfigureAwait(false);
        List<PairStatusRow> found = [];
        foreach ((TraceVolume pVol, TraceVolume sVol) in mirrors)
        {
            foreach (PairStatusRow row in rows)
            {
                if (row.PVol == Wire(pVol) && row.SVol == Wire(sVol))
                {
                    found.Add(row);
                }
            }
        }

        return found;
    }

    /// <summary>Waits until a pair is in a state (pairevtwait), polling PAIR STATUS.</summary>
    /// <param name="pair">The pair.</param>
    /// <param name="state">The state awaited.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The last row seen (null if the pair does not exist), and whether it reached the state in time.</returns>
    public async Task<(PairStatusRow? Row, bool Reached)> WaitForStateAsync(WirePair pair, PairState state, TimeSpan timeout)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            PairStatusRow? row = await FindAsync(pair).ConfigureAwait(false);
            if (row is PairStatusRow found && found.State == (byte)state)
            {
                return (row, true);
            }

            if (Stopwatch.GetElapsedTime(start) >= timeout)
            {
                return (row, false);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
        }
    }

    private async Task<ScsiResult> SendAsync(byte[] cdb, ReadOnlyMemory<byte> dataOut, Memory<byte> dataIn)
    {
        if (!_commandDeviceKnown)
        {
            // controllerd takes copy-management commands only on a command device; an embedded controller on any LUN.
            if (await CommandDeviceFinder.FindAsync(_port, _commandDevice.PortId).ConfigureAwait(false) is ushort lun)
            {
                _commandDevice = new TraceVolume(_commandDevice.PortId, lun);
            }

            _commandDeviceKnown = true;
        }

        if (_barrier is null)
        {
            // ExecuteAsync posts the FCP_CMND before it returns: from here on the command is ahead of any sent later.
            ValueTask<ScsiResult> answer = _port.ExecuteAsync(_commandDevice.PortId, _commandDevice.Lun, cdb, dataOut, dataIn);
            _posted?.Invoke();
            return await answer.ConfigureAwait(false);
        }

        return await _barrier.AloneAsync(async () => await _port.ExecuteAsync(_commandDevice.PortId, _commandDevice.Lun, cdb, dataOut, dataIn).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async Task WaitForPairAsync(IReadOnlyList<(TraceVolume PVol, TraceVolume SVol)> mirrors, TimeSpan timeout)
    {
        foreach ((TraceVolume pVol, TraceVolume sVol) in mirrors)
        {
            WirePair pair = new(Wire(pVol), Wire(sVol));
            if (!(await WaitForStateAsync(pair, PairState.Pair, timeout).ConfigureAwait(false)).Reached)
            {
                throw new InitiatorException("pair " + pair + " did not reach PAIR within " + timeout.TotalSeconds + " s");
            }
        }
    }
}
