// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Threading.Tasks.Sources;
using Controller.Addressing;
using Controller.Wire;
using Controller.Wire.Transport;

namespace Controller.Initiator;

/// <summary>
/// One outstanding command of an initiator: it sends its FCP_CMND and data as a source of the connection's
/// outbox and completes the caller's <see cref="ValueTask{T}"/> when the FCP_RSP arrives. Pooled.
/// </summary>
internal sealed class InitiatorExchange : OutboundFrameSource, IValueTaskSource<ScsiResult>
{
    /// <summary>Payload of one FCP_DATA frame the initiator sends.</summary>
    public const int DataFrameLength = 2048;

    private readonly InitiatorPort _port;
    private readonly byte[] _command = new byte[FcpCommand.Length];
    private ManualResetValueTaskSourceCore<ScsiResult> _completion = new() { RunContinuationsAsynchronously = false };

    public InitiatorExchange(InitiatorPort port)
    {
        _port = port;
    }

    public ushort OriginatorExchangeId { get; set; }

    public PortId TargetId { get; private set; }

    public ExchangeState State { get; set; }

    public ReadOnlyMemory<byte> DataOut { get; private set; }

    public Memory<byte> DataIn { get; private set; }

    public int DataInReceived { get; set; }

    public bool FirstBurst { get; private set; }

    public int BurstOffset { get; set; }

    public int BurstLength { get; set; }

    public short Version => _completion.Version;

    public void Start(PortId targetId, ushort lun, ReadOnlySpan<byte> cdb, ReadOnlyMemory<byte> dataOut, Memory<byte> dataIn, bool firstBurst, byte taskManagement = 0)
    {
        TargetId = targetId;
        DataOut = dataOut;
        DataIn = dataIn;
        DataInReceived = 0;
        FirstBurst = firstBurst;
        State = ExchangeState.SendCommand;
        bool write = !dataOut.IsEmpty;
        bool read = !dataIn.IsEmpty;
        if (!FcpCommand.TryWrite(_command, lun, cdb, read, write, (uint)(write ? dataOut.Length : dataIn.Length)))
        {
            throw new ArgumentException("cannot encode FCP_CMND for LUN " + lun + " with a " + cdb.Length + "-byte CDB", nameof(cdb));
        }

        // A task management request: FCP_CNTL byte 10 carries the function, the CDB is ignored (FCP-4).
        _command[10] = taskManagement;
    }

    public void Complete(in ScsiResult result)
    {
        _completion.SetResult(result);
    }

    public void Fail(Exception exception)
    {
        _completion.SetException(exception);
    }

    public ScsiResult GetResult(short token)
    {
        try
        {
            return _completion.GetResult(token);
        }
        finally
        {
            _completion.Reset();
            _port.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token)
    {
        return _completion.GetStatus(token);
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        _completion.OnCompleted(continuation, state, token, flags);
    }

    public override void WriteFrames(FcipFrameEmitter emitter)
    {
        if (State == ExchangeState.SendCommand)
        {
            State = ExchangeState.Waiting;
            emitter.Write(Header(FcRoutingControl.Command, FcFrameControl.Command, 0, 0, 0), _command, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate);
            if (FirstBurst && !DataOut.IsEmpty)
            {
                WriteData(emitter, 0, DataOut.Length);
            }

            return;
        }

        if (State == ExchangeState.SendData)
        {
            State = ExchangeState.Waiting;
            WriteData(emitter, BurstOffset, BurstLength);
        }
    }

    private void WriteData(FcipFrameEmitter emitter, int offset, int length)
    {
        ReadOnlySpan<byte> data = DataOut.Span;
        int end = offset + length;
        ushort sequenceCount = 0;
        for (int at = offset; at < end; at += DataFrameLength)
        {
            int chunk = Math.Min(DataFrameLength, end - at);
            bool first = at == offset;
            bool last = at + chunk == end;
            int frameControl = FcFrameControl.RelativeOffsetPresent | (last ? FcFrameControl.EndSequence | FcFrameControl.SequenceInitiative : 0);
            emitter.Write(Header(FcRoutingControl.Data, frameControl, sequenceCount++, (uint)at, 1), data.Slice(at, chunk), first ? FcDelimiter.StartInitiate3 : FcDelimiter.StartNormal3, last ? FcDelimiter.EndTerminate : FcDelimiter.EndNormal);
        }
    }

    private FcFrameHeader Header(byte routingControl, int frameControl, ushort sequenceCount, uint parameter, byte sequenceId)
    {
        return new FcFrameHeader
        {
            RoutingControl = routingControl,
            DestinationId = TargetId,
            SourceId = _port.Source,
            Type = FcFrameHeader.TypeFcp,
            FrameControl = frameControl,
            SequenceId = sequenceId,
            SequenceCount = sequenceCount,
            OriginatorExchangeId = OriginatorExchangeId,
            ResponderExchangeId = 0xFFFF,
            Parameter = parameter,
        };
    }
}
