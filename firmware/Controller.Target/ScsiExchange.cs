// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Volumes;
using Controller.Target.Scsi;
using Controller.Wire;
using Controller.Wire.Transport;

namespace Controller.Target;

/// <summary>
/// One SCSI command on a connection: an FC exchange from FCP_CMND to FCP_RSP. Pooled per connection; it is its
/// own node in the send queue and its own completion for the MP, so a command allocates nothing.
/// </summary>
/// <remarks>
/// Ownership moves with the phase: the connection's reader owns it from FCP_CMND until it is submitted to an MP
/// or posted; the MP owns it until it completes and posts it; the writer owns it while it sends its frames and
/// returns it to the pool after the FCP_RSP. A large answer is written in pieces (<see cref="WriteSomeFrames"/>),
/// flushed one by one. An exchange whose connection is gone is discarded (<see cref="Discard"/>): its buffer goes back
/// to the pool and its answer bytes leave the send-queue budget, as if it had been sent.
/// </remarks>
internal sealed class ScsiExchange : OutboundFrameSource, IBlockCommandCompletion
{
    /// <summary>Payload of one FCP_DATA frame the target sends: 2 KiB, four 512-byte blocks, within FC's 2112.</summary>
    public const int DataFrameLength = 2048;

    private readonly TargetConnection _connection;
    private readonly byte[] _cdb = new byte[16];
    private readonly byte[] _responseBuffer = new byte[FcpResponse.FixedLength + 8 + SenseData.Length];

    // The answer bytes this exchange counts in its connection's send queue (its read data buffer), and how far
    // its data-in has been written (the writer resumes there).
    private long _queuedBytes;
    private int _dataWritten;
    private ushort _sequenceCount;

    public ScsiExchange(TargetConnection connection)
    {
        _connection = connection;
    }

    public ExchangePhase Phase { get; set; }

    public ushort OriginatorExchangeId { get; private set; }

    public int InitiatorId { get; private set; }

    public int TargetId { get; private set; }

    public ushort Lun { get; private set; }

    public ReadOnlySpan<byte> Cdb => _cdb;

    public bool ReadData { get; private set; }

    public bool WriteData { get; private set; }

    /// <summary>Gets FCP_DL: the bytes the initiator expects to move.</summary>
    public int DataLength { get; private set; }

    /// <summary>Gets the data buffer (rented), holding write data received or read data to send.</summary>
    public byte[]? Data { get; private set; }

    /// <summary>Gets or sets how many bytes of <see cref="Data"/> go back to the initiator.</summary>
    public int DataInLength { get; set; }

    /// <summary>Gets or sets how many bytes of write data have arrived.</summary>
    public int DataReceived { get; set; }

    /// <summary>Gets or sets the LDEV of a media command.</summary>
    public Ldev? Ldev { get; set; }

    /// <summary>Gets or sets the response the writer sends.</summary>
    public FcpResponse Response { get; set; }

    /// <summary>Gets or sets a value indicating whether this exchange holds a slot of the connection's exchange table.</summary>
    public bool InTable { get; set; }

    public void Start(in FcFrameHeader header, in FcpCommand command)
    {
        OriginatorExchangeId = header.OriginatorExchangeId;
        InitiatorId = header.SourceId;
        TargetId = header.DestinationId;
        Lun = command.Lun;
        command.Cdb.CopyTo(_cdb);
        ReadData = command.ReadData;
        WriteData = command.WriteData;
        DataLength = (int)Math.Min(command.DataLength, int.MaxValue);
        DataInLength = 0;
        DataReceived = 0;
        Ldev = null;
        Response = default;
        InTable = false;
        _queuedBytes = 0;
        _dataWritten = 0;
        _sequenceCount = 0;
    }

    /// <summary>Starts an exchange that only answers (a refused FCP_CMND): no command fields.</summary>
    public void StartRefusal(in FcFrameHeader header)
    {
        OriginatorExchangeId = header.OriginatorExchangeId;
        InitiatorId = header.SourceId;
        TargetId = header.DestinationId;
        Lun = 0;
        Array.Clear(_cdb);
        ReadData = false;
        WriteData = false;
        DataLength = 0;
        DataInLength = 0;
        DataReceived = 0;
        Ldev = null;
        Response = default;
        InTable = false;
        _queuedBytes = 0;
        _dataWritten = 0;
        _sequenceCount = 0;
    }

    /// <summary>
    /// Rents a data buffer of at least <paramref name="length"/> bytes. One for data going to the initiator (no
    /// WRDATA) counts in the connection's send queue until it is sent.
    /// </summary>
    public byte[] RentData(int length)
    {
        byte[] data = _connection.Buffers.Rent(Math.Max(length, 1));
        Data = data;
        if (!WriteData)
        {
            _queuedBytes = data.Length;
            _connection.SendQueue.Add(data.Length);
        }

        return data;
    }

    /// <summary>
    /// Answers with a status and no data in (GOOD, or an error whose sense is given). Bytes of FCP_DL that did
    /// not move (write data never asked for, a read refused) are reported as FCP_RESID_UNDER (FCP-4).
    /// </summary>
    public void Answer(byte status, SenseData? sense = null)
    {
        DataInLength = 0;
        int residual = DataLength - (WriteData ? DataReceived : 0);
        Response = new FcpResponse(status, (uint)Math.Max(residual, 0), residual > 0, false, sense);
    }

    /// <summary>
    /// Answers GOOD with <paramref name="length"/> bytes of <see cref="Data"/> for the initiator: at most FCP_DL
    /// of them go; a shorter answer is FCP_RESID_UNDER, a longer one is cut and FCP_RESID_OVER.
    /// </summary>
    public void AnswerWithData(int length)
    {
        DataInLength = Math.Min(length, DataLength);
        int residual = DataLength - length;
        Response = new FcpResponse(FcpResponse.Good, (uint)Math.Abs(residual), residual > 0, residual < 0, null);
    }

    /// <inheritdoc/>
    public void Complete(in BlockCommand command, MediaStatus status)
    {
        // On the MP: the media command is done. Turn the status into SCSI and hand the exchange to the writer.
        if (status == MediaStatus.Good)
        {
            if (command.Kind == BlockCommandKind.Read)
            {
                AnswerWithData(command.Buffer.Count);
            }
            else
            {
                Answer(FcpResponse.Good);
            }
        }
        else
        {
            Answer(FcpResponse.CheckCondition, ScsiSense.ForMedia(status, command.Kind != BlockCommandKind.Read));
        }

        _connection.Post(this);
    }

    /// <inheritdoc/>
    public override void WriteFrames(FcipFrameEmitter emitter)
    {
        while (!WriteSomeFrames(emitter, int.MaxValue))
        {
        }
    }

    /// <inheritdoc/>
    public override bool WriteSomeFrames(FcipFrameEmitter emitter, int maxBytes)
    {
        if (Phase == ExchangePhase.TransferReady)
        {
            Phase = ExchangePhase.ReceivingData;
            Span<byte> payload = stackalloc byte[FcpTransferReady.Length];
            new FcpTransferReady(0, (uint)DataLength).TryWrite(payload);
            emitter.Write(Header(FcRoutingControl.TransferReady, FcFrameControl.TransferReady, 0, 0), payload, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate);
            return true;
        }

        // The final phase. Free the exchange table slot before the FCP_RSP can reach the initiator: once it
        // has the response it may reuse the OX_ID at once. (Idempotent: a large answer comes back here per piece.)
        _connection.Release(this);
        if (!WriteDataIn(emitter, maxBytes))
        {
            return false;
        }

        FcpResponse response = Response;
        int length = response.EncodedLength;
        response.TryWrite(_responseBuffer);
        emitter.Write(Header(FcRoutingControl.Response, FcFrameControl.Response, 0, 0), _responseBuffer.AsSpan(0, length), FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate);
        ReturnData(sent: true);
        Phase = ExchangePhase.Free;
        _connection.Return(this);
        return true;
    }

    /// <inheritdoc/>
    public override void Discard()
    {
        // The connection is gone: nothing more is sent. Give back the slot, the buffer and the budget as a sent
        // exchange would, so that nothing a closed connection held stays held.
        _connection.Release(this);
        ReturnData(sent: false);
        Phase = ExchangePhase.Free;
        _connection.Return(this);
    }

    private void ReturnData(bool sent)
    {
        if (Data is byte[] data)
        {
            Data = null;
            _connection.Buffers.Return(data);
        }

        long queued = _queuedBytes;
        _queuedBytes = 0;
        if (queued != 0)
        {
            if (sent)
            {
                // In the pipe now: counted until the flush that carries it ends.
                _connection.SendQueue.Sent(queued);
            }
            else
            {
                _connection.SendQueue.Release(queued);
            }
        }
    }

    // Writes data-in frames from where the last call stopped until about maxBytes are written; true when all are.
    private bool WriteDataIn(FcipFrameEmitter emitter, int maxBytes)
    {
        int length = DataInLength;
        if (length == 0 || Data is null)
        {
            return true;
        }

        long start = emitter.BytesWritten;
        while (_dataWritten < length)
        {
            if (emitter.BytesWritten - start >= maxBytes)
            {
                return false;
            }

            int offset = _dataWritten;
            int chunk = Math.Min(DataFrameLength, length - offset);
            bool first = offset == 0;
            bool last = offset + chunk == length;
            int frameControl = FcFrameControl.ExchangeResponder | FcFrameControl.RelativeOffsetPresent | (last ? FcFrameControl.EndSequence : 0);
            FcFrameHeader header = Header(FcRoutingControl.Data, frameControl, _sequenceCount++, (uint)offset) with { SequenceId = 1 };
            emitter.Write(header, Data.AsSpan(offset, chunk), first ? FcDelimiter.StartInitiate3 : FcDelimiter.StartNormal3, last ? FcDelimiter.EndTerminate : FcDelimiter.EndNormal);
            _dataWritten = offset + chunk;
        }

        return true;
    }

    private FcFrameHeader Header(byte routingControl, int frameControl, ushort sequenceCount, uint parameter)
    {
        return new FcFrameHeader
        {
            RoutingControl = routingControl,
            DestinationId = InitiatorId,
            SourceId = TargetId,
            Type = FcFrameHeader.TypeFcp,
            FrameControl = frameControl,
            SequenceCount = sequenceCount,
            OriginatorExchangeId = OriginatorExchangeId,
            ResponderExchangeId = OriginatorExchangeId,
            Parameter = parameter,
        };
    }
}
