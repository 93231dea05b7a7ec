// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces;

/// <summary>The exchanges of a pcap trace, in their global order, and what else its frames held.</summary>
public sealed class TraceExchangeSet
{
    /// <summary>Gets the trace file.</summary>
    public required string Source { get; init; }

    /// <summary>Gets the exchanges, numbered from 1 in the order of their FCP_CMND frames.</summary>
    public List<TraceExchange> Exchanges { get; } = [];

    /// <summary>Gets the frames read.</summary>
    public long Frames { get; internal set; }

    /// <summary>Gets the ELS frames (PLOGI, PRLI, LOGO and their replies): a replay logs in by itself.</summary>
    public long ElsFrames { get; internal set; }

    /// <summary>Gets the FCP frames that belong to no exchange the trace opened (it started while they were outstanding).</summary>
    public long OrphanFrames { get; internal set; }

    /// <summary>Gets the exchanges whose answer the trace recorded.</summary>
    public long Responses { get; internal set; }

    /// <summary>Gets the exchanges whose read data replay leaves uncompared: a conflicting command was outstanding beside them in the recording.</summary>
    public long Overlapped { get; internal set; }

    /// <summary>Gets every volume the trace addresses and the blocks it needs (the block after the last one touched).</summary>
    public Dictionary<TraceVolume, long> Volumes { get; } = [];

    /// <summary>
    /// Gets the capacity, in 512-byte blocks, that a recorded READ CAPACITY answer gave each volume: a replay against an
    /// embedded controller builds the volume that size, so that the same question gets the same answer.
    /// </summary>
    public Dictionary<TraceVolume, long> RecordedCapacities { get; } = [];

    /// <summary>
    /// Gets the pairs the trace's PAIR CREATE commands make, in trace order, with the exchange that creates each: a
    /// replay against an embedded controller builds each S-VOL (at its P-VOL's size), so the trace alone rebuilds the pairs.
    /// </summary>
    public List<(long Exchange, TraceVolume PVol, TraceVolume SVol)> CreatedPairs { get; } = [];

    /// <summary>Gets every initiator port ID that sent commands, in order of first appearance.</summary>
    public List<int> Initiators { get; } = [];
}
