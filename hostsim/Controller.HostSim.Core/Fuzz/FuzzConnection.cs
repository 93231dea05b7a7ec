// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.IO.Pipelines;
using Controller.Addressing;
using Controller.Target;
using Controller.Wire;
using Controller.Wire.Els;
using Controller.Wire.Transport;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// One target connection the fuzzer feeds frames into directly (<see cref="TargetConnection.OnFrame"/>, no
/// socket and no byte stream on the way in). The connection is served as usual, so that closing it takes the
/// real path, and what it sends back is read and counted in the background, so its send side never waits for
/// room.
/// </summary>
public sealed class FuzzConnection
{
    // The catch-up marker: a LOGO to the fabric's F_Port address, which is no port of the controller and has
    // no login to end. The target answers it LS_ACC, changes nothing and logs nothing.
    private const int MarkerDestination = 0xFFFFFE;
    private static readonly byte[] s_markerPayload = MarkerPayload();

    private readonly DuplexPipe _peer;
    private readonly FuzzExecution _execution;
    private readonly Task<string?> _served;
    private readonly Task<bool> _drain;
    private volatile bool _retiring;
    private string? _outputFault;
    private ushort _marker = 0xEF00;

    private FuzzConnection(ControllerFrontEnd frontEnd, string name, FuzzExecution execution)
    {
        (DuplexPipe peer, DuplexPipe target) = execution.CreatePipes();
        _peer = peer;
        _execution = execution;
        Target = frontEnd.Accept(target, name, null);

        // The target's reader waits for bytes that never come (the fuzzer calls OnFrame itself, on its own
        // thread, so frames are still handled one at a time); it ends when the peer's side completes.
        TargetConnection connection = Target;
        _served = execution.Start(() => connection.RunAsync(CancellationToken.None));
        _drain = execution.Start(DrainAsync);
    }

    /// <summary>Gets the target's connection.</summary>
    public TargetConnection Target { get; }

    /// <summary>Gets what the target sent back (complete once <see cref="Retire"/> returned true).</summary>
    public ResponseTally Answers { get; } = new();

    /// <summary>Gets a fault of the target's output stream, or of its reader, seen before retirement, or null.</summary>
    public string? OutputFault => _outputFault ?? Answers.Fault ?? (_served.IsFaulted ? "the target's reader failed: " + _served.Exception!.InnerException : null);

    /// <summary>Opens a connection to the port front.</summary>
    /// <param name="frontEnd">The port front.</param>
    /// <param name="name">The peer's name in the target's log.</param>
    /// <param name="execution">Where the run's work is done.</param>
    /// <returns>The connection.</returns>
    public static FuzzConnection Open(ControllerFrontEnd frontEnd, string name, FuzzExecution execution)
    {
        return new FuzzConnection(frontEnd, name, execution);
    }

    /// <summary>
    /// Waits until the target has sent everything posted before now: sends a marker frame and waits for its
    /// reply, which leaves the same send queue behind every answer queued before it. The fuzzer feeds frames
    /// far faster than one core can encode and send the answers; without these waits most commands would find
    /// the OX_ID they reuse still held by an answer waiting in the queue, and data would come before the
    /// FCP_XFER_RDY that asks for it.
    /// </summary>
    /// <param name="handler">Where the marker goes: the target's frame handler, or the test seam's wrapper of it.</param>
    /// <param name="patience">How long to wait in real time (a deterministic run waits until its scheduler is idle).</param>
    /// <returns>Null when the reply came, else why not and the connection's state: a target that stops answering is a fault.</returns>
    public string? CatchUp(IFcFrameHandler handler, TimeSpan patience)
    {
        _marker = (ushort)(0xEF00 | ((_marker + 1) & 0xFF));
        Task seen = Answers.ExpectMarker(_marker);
        FcFrameHeader header = new()
        {
            RoutingControl = FcRoutingControl.ElsRequest,
            DestinationId = new PortId(MarkerDestination),
            SourceId = new PortId(FuzzTopology.FuzzHost),
            Type = FcFrameHeader.TypeEls,
            FrameControl = FcFrameControl.ElsRequest,
            OriginatorExchangeId = _marker,
            ResponderExchangeId = 0xFFFF,
        };
        try
        {
            handler.OnFrame(header, s_markerPayload, out _);
        }
        catch (Exception exception)
        {
            return Target.Peer + ": a LOGO to 0x" + MarkerDestination.ToString("X6", CultureInfo.InvariantCulture) + " threw " + exception;
        }

        return _execution.CatchUp(seen, patience) ? null : Target.Peer + ": the target stopped answering (" + _execution.NoAnswer(patience) + "); " + Describe();
    }

    /// <summary>Describes the connection for a failure's diagnostics: exchanges held, what it sent, its reader.</summary>
    /// <returns>The text.</returns>
    public string Describe()
    {
        List<string> held = Target.DescribeOutstanding(8);
        IReadOnlyList<long> counts = Answers.Counts;
        long sent = Answers.Markers;
        for (int i = 0; i < counts.Count; i++)
        {
            sent += counts[i];
        }

        return string.Create(CultureInfo.InvariantCulture, $"connection: {Target.Outstanding} exchanges outstanding{(held.Count == 0 ? string.Empty : " (" + string.Join(", ", held) + (Target.Outstanding > held.Count ? ", ..." : string.Empty) + ")")}, {sent:N0} frames read back from the target, its reader {(_served.IsCompleted ? "ended" : "waiting")}");
    }

    /// <summary>Closes the connection as an initiator does, and waits for the target and the reader to finish.</summary>
    /// <param name="patience">How long to wait.</param>
    /// <returns>False when they did not finish in time.</returns>
    public bool Retire(TimeSpan patience)
    {
        _retiring = true;
        _peer.Output.Complete();
        if (!_execution.Wait(_served, patience) || !_execution.Wait(_drain, patience))
        {
            return false;
        }

        _peer.Input.Complete();
        return true;
    }

    private static byte[] MarkerPayload()
    {
        byte[] payload = new byte[ElsPayload.LogoutLength];
        ElsPayload.WriteLogout(payload, new PortId(FuzzTopology.FuzzHost), ElsPayload.PortNameFor(new PortId(FuzzTopology.FuzzHost)));
        return payload;
    }

    private async Task<bool> DrainAsync()
    {
        string? reason = await new FcipFrameReader(_peer.Input, Answers).RunAsync(CancellationToken.None).ConfigureAwait(false);
        if (reason is not null && !_retiring)
        {
            // Once the connection is being closed its send side may stop in the middle of a frame; before
            // that, every byte the target sends must decode.
            _outputFault = "the target's output stream broke: " + reason;
        }

        while (true)
        {
            ReadResult result = await _peer.Input.ReadAsync().ConfigureAwait(false);
            _peer.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return true;
            }
        }
    }
}
