// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;
using Controller.Wire.Els;
using Controller.Wire.Transport;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// Reads what the target sends back on one fuzz connection (through the real frame reader, so every frame is
/// also checked for a sound encapsulation and CRC) and counts it by <see cref="TargetAnswer"/>. An FCP_RSP that
/// does not decode is a fault of the target's encoder.
/// </summary>
public sealed class ResponseTally : IFcFrameHandler
{
    private readonly long[] _counts = new long[(int)TargetAnswer.Other + 1];

    // The OX_ID of the catch-up marker the fuzzer waits for (-1: none), and the wait's completion.
    private int _marker = -1;
    private TaskCompletionSource? _markerSeen;

    /// <summary>Gets the frames counted, by what they were (read once the reader has finished).</summary>
    public IReadOnlyList<long> Counts => _counts;

    /// <summary>Gets the first fault seen in the target's output, or null.</summary>
    public string? Fault { get; private set; }

    /// <summary>Gets the catch-up markers answered (not counted in <see cref="Counts"/>).</summary>
    public long Markers { get; private set; }

    /// <summary>Arms the wait for the reply to a catch-up marker (see <see cref="FuzzConnection.CatchUp"/>).</summary>
    /// <param name="exchangeId">The marker's OX_ID.</param>
    /// <returns>Completes when the reply has been read.</returns>
    public Task ExpectMarker(ushort exchangeId)
    {
        TaskCompletionSource seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _markerSeen, seen);
        Volatile.Write(ref _marker, exchangeId);
        return seen.Task;
    }

    /// <inheritdoc/>
    public bool OnFrame(in FcFrameHeader header, ReadOnlySpan<byte> payload, out string? closeReason)
    {
        closeReason = null;
        if (header.RoutingControl == FcRoutingControl.ElsReply && header.OriginatorExchangeId == Volatile.Read(ref _marker))
        {
            Markers++;
            Volatile.Write(ref _marker, -1);
            Volatile.Read(ref _markerSeen)!.TrySetResult();
            return true;
        }

        TargetAnswer answer = header.RoutingControl switch
        {
            FcRoutingControl.Response => Response(payload),
            FcRoutingControl.TransferReady => TargetAnswer.TransferReady,
            FcRoutingControl.Data => TargetAnswer.DataIn,
            FcRoutingControl.ElsReply when !payload.IsEmpty && payload[0] == ElsCommand.LinkServiceAccept => TargetAnswer.LinkServiceAccept,
            FcRoutingControl.ElsReply when !payload.IsEmpty && payload[0] == ElsCommand.LinkServiceReject => TargetAnswer.LinkServiceReject,
            FcRoutingControl.ElsRequest when !payload.IsEmpty && payload[0] == ElsCommand.Logout => TargetAnswer.Logout,
            _ => TargetAnswer.Other,
        };
        _counts[(int)answer]++;
        return true;
    }

    private TargetAnswer Response(ReadOnlySpan<byte> payload)
    {
        if (!FcpResponse.TryRead(payload, out FcpResponse response, out string? reason))
        {
            Fault ??= "the target sent an FCP_RSP that does not decode: " + reason;
            return TargetAnswer.Other;
        }

        if (response.ResponseCode is byte code && code != 0)
        {
            return TargetAnswer.ResponseCode;
        }

        return response.Status switch
        {
            FcpResponse.Good => TargetAnswer.Good,
            FcpResponse.CheckCondition => TargetAnswer.CheckCondition,
            FcpResponse.ReservationConflict => TargetAnswer.ReservationConflict,
            FcpResponse.TaskSetFull => TargetAnswer.TaskSetFull,
            _ => TargetAnswer.OtherStatus,
        };
    }
}
