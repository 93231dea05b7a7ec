// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
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
/// returns it to the pool after the FCP_RSP. Every move of the phase is a compare-and-swap checked against
/// <see cref="ExchangePhaseTransitions"/> (<see cref="MoveTo"/>), so a second owner fails at the move. A large answer is written in pieces (<see cref="WriteSomeFrames"/>),
/// flushed one by one. An exchange whose connection is gone is discarded (<see cref="Discard"/>): its buffer goes back
/// to the pool and its answer bytes leave the send-queue budget, as if it had been sent.
/// </remarks>
internal sealed partial class ScsiExchange : OutboundFrameSource, IBlockCommandCompletion
{
    /// <summary>Payload of one FCP_DATA frame the target sends: 2 KiB, four 512-byte blocks, within FC's 2112.</summary>
    public const int DataFrameLength = 2048;

    private const long PhaseMask = 0x0F;
    private const long InTableBit = 0x10;
    private const long AbortedBit = 0x20;
    private const int GenerationShift = 8;

    private readonly TargetConnection _connection;
    private readonly byte[] _cdb = new byte[16];
    private readonly byte[] _responseBuffer = new byte[FcpResponse.FixedLength + 8 + SenseData.Length];

    // The answer bytes this exchange counts in its connection's send queue (its read data buffer), and how far
    // its data-in has been written (the writer resumes there).
    private long _queuedBytes;
    private int _dataWritten;
    private ushort _sequenceCount;

    // The exchange's life in one word, so an abort decides with one compare-and-swap against the phase and the
    // table slot (docs/protocol.md, "Aborts"): bits 0-3 the phase, bit 4 in the OX_ID table, bit 5 aborted, bits 8 up
    // a generation counted at every Start, so an abort aimed at an earlier command of this pooled object never lands
    // on the next one. Written by whichever thread owns the phase; claimed by an abort from any thread.
    private long _state;

    public ScsiExchange(TargetConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Gets the phase (a snapshot: only its owner may rely on it, docs/architecture.md "Target dispatch").</summary>
    public ExchangePhase Phase => (ExchangePhase)(Volatile.Read(ref _state) & PhaseMask);

    /// <summary>Gets the command's generation (counted at every start): the reader's exchange table keeps it beside the entry.</summary>
    public long Generation => Volatile.Read(ref _state) >> GenerationShift;

    /// <summary>Gets or sets the next free exchange of the connection's pool (<see cref="ExchangePool"/>: the free list's link).</summary>
    public ScsiExchange? NextFree { get; set; }

    /// <summary>Gets the connection the command came on.</summary>
    public TargetConnection Connection => _connection;

    /// <summary>Gets the login the command came through (null for a refused FCP_CMND, which has none).</summary>
    public Login? Login { get; private set; }

    /// <summary>Gets or sets what the command is, from the opcode table (set once by the command set when it starts).</summary>
    public Scsi.ScsiCommandKind Kind { get; set; }

    /// <summary>Gets or sets the first block of a media command or an update copy, decoded once from the CDB.</summary>
    public long Lba { get; set; }

    /// <summary>Gets or sets a value indicating whether a write asked for FUA, decoded once from the CDB.</summary>
    public bool ForceUnitAccess { get; set; }

    /// <summary>Gets or sets a copy-management CDB, decoded once when the command starts.</summary>
    public Controller.Wire.CopyManagement.CopyManagementCdb CopyManagementCdb { get; set; }

    /// <summary>Gets or sets an RC UPDATE COPY CDB, decoded once when the command starts.</summary>
    public Controller.Wire.RemoteCopy.UpdateCopyCdb UpdateCopyCdb { get; set; }

    /// <summary>Gets or sets the audit line of a copy-management command (one per command, written when it is answered).</summary>
    public CopyManagementAudit? Audit { get; set; }

    /// <summary>
    /// Moves the phase, as its owner (<see cref="ExchangePhaseTransitions"/>): one compare-and-swap that keeps the table
    /// and abort bits another thread may set meanwhile, and refuses a move the table does not allow (a second owner).
    /// </summary>
    /// <param name="next">The phase to move to.</param>
    public void MoveTo(ExchangePhase next)
    {
        long seen = Volatile.Read(ref _state);
        while (true)
        {
            ExchangePhase from = (ExchangePhase)(seen & PhaseMask);
            if (!ExchangePhaseTransitions.IsAllowed(from, next))
            {
                ThrowIllegalMove(from, next);
            }

            long previous = Interlocked.CompareExchange(ref _state, (seen & ~PhaseMask) | (long)next, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>Whether this exchange still holds the table entry made for it in <paramref name="generation"/> (in the table, not reused since).</summary>
    public bool HoldsSlot(long generation)
    {
        long state = Volatile.Read(ref _state);
        return (state & InTableBit) != 0 && (state >> GenerationShift) == generation;
    }

    /// <summary>Gets a snapshot of the state word, for <see cref="TryClaimForAbort"/>.</summary>
    public long State => Volatile.Read(ref _state);

    /// <summary>Gets a value indicating whether an abort (ABTS, a task management function, an overlapped command, an implicit logout) claimed this command.</summary>
    public bool IsAborted => (Volatile.Read(ref _state) & AbortedBit) != 0;

    /// <summary>Whether a state snapshot shows the command aborted.</summary>
    public static bool WasAborted(long state)
    {
        return (state & AbortedBit) != 0;
    }

    /// <summary>Whether a state snapshot shows the command holding its OX_ID slot.</summary>
    public static bool WasInTable(long state)
    {
        return (state & InTableBit) != 0;
    }

    /// <summary>Whether a state snapshot shows a command in the table and not aborted.</summary>
    public static bool IsLive(long state)
    {
        return (state & (InTableBit | AbortedBit)) == InTableBit;
    }

    public ushort OriginatorExchangeId { get; private set; }

    public PortId InitiatorId { get; private set; }

    public PortId TargetId { get; private set; }

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
    public bool InTable
    {
        get => (Volatile.Read(ref _state) & InTableBit) != 0;
        set
        {
            // Set by the reader on a command no other thread can see yet; cleared only through LeaveTable.
            long state = Volatile.Read(ref _state);
            Volatile.Write(ref _state, value ? state | InTableBit : state & ~InTableBit);
        }
    }

    /// <summary>
    /// Claims the command for an abort, if <paramref name="seen"/> (a <see cref="State"/> snapshot) is still current:
    /// it leaves the table and is marked aborted, so no FCP_XFER_RDY, data or FCP_RSP goes out for it any more.
    /// </summary>
    /// <param name="seen">The snapshot the caller decided on.</param>
    /// <param name="reclaimed">True when it was parked waiting for write data: no one else will hand it on, so the caller posts it to be freed.</param>
    /// <returns>False when the command left the table (answered) or was reused meanwhile.</returns>
    public bool TryClaimForAbort(long seen, out bool reclaimed)
    {
        reclaimed = false;
        while (IsLive(seen))
        {
            bool parked = (ExchangePhase)(seen & PhaseMask) == ExchangePhase.ReceivingData;
            long claimed = (seen & ~(InTableBit | PhaseMask)) | AbortedBit | (long)(parked ? ExchangePhase.Aborted : (ExchangePhase)(seen & PhaseMask));
            long previous = Interlocked.CompareExchange(ref _state, claimed, seen);
            if (previous == seen)
            {
                reclaimed = parked;
                return true;
            }

            if ((previous >> GenerationShift) != (seen >> GenerationShift))
            {
                return false;
            }

            seen = previous;
        }

        return false;
    }

    /// <summary>
    /// Leaves the OX_ID table as the answer goes out (the writer). Returns the state before: in the table (free the
    /// slot, send), aborted (an abort freed the slot: send nothing), or neither (a refusal that never held a slot).
    /// </summary>
    public long LeaveTable()
    {
        long seen = Volatile.Read(ref _state);
        while (true)
        {
            long previous = Interlocked.CompareExchange(ref _state, seen & ~InTableBit, seen);
            if (previous == seen)
            {
                return seen;
            }

            seen = previous;
        }
    }

    /// <summary>
    /// Moves the command to <paramref name="next"/> unless an abort claimed it meanwhile; then it becomes
    /// <see cref="ExchangePhase.Aborted"/> and the caller (which owns it) has it freed.
    /// </summary>
    /// <returns>False when aborted.</returns>
    public bool TryMoveUnlessAborted(ExchangePhase next)
    {
        long seen = Volatile.Read(ref _state);
        while (true)
        {
            bool aborted = (seen & AbortedBit) != 0;
            ExchangePhase to = aborted ? ExchangePhase.Aborted : next;
            if (!ExchangePhaseTransitions.IsAllowed((ExchangePhase)(seen & PhaseMask), to))
            {
                ThrowIllegalMove((ExchangePhase)(seen & PhaseMask), to);
            }

            long target = (seen & ~PhaseMask) | (long)to;
            long previous = Interlocked.CompareExchange(ref _state, target, seen);
            if (previous == seen)
            {
                return !aborted;
            }

            seen = previous;
        }
    }

    /// <summary>Takes a parked command (waiting for write data) for the data frame that just arrived; false when it is not parked (aborted, not asked for data yet).</summary>
    public bool TryBeginData()
    {
        long seen = Volatile.Read(ref _state);
        if ((ExchangePhase)(seen & PhaseMask) != ExchangePhase.ReceivingData)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _state, (seen & ~PhaseMask) | (long)ExchangePhase.DataArriving, seen) == seen;
    }

    /// <summary>Returns the data buffer and the exchange to their pools (an aborted command: nothing is sent).</summary>
    public void Recycle()
    {
        ReturnData(sent: false);
        MoveTo(ExchangePhase.Free);
        _connection.Return(this);
    }

    public void Start(in FcFrameHeader header, in FcpCommand command, Login login)
    {
        Login = login;
        Audit = null;
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
        _queuedBytes = 0;
        _dataWritten = 0;
        _sequenceCount = 0;
        NewGeneration();
    }

    /// <summary>Starts an exchange that only answers (a refused FCP_CMND): no command fields.</summary>
    public void StartRefusal(in FcFrameHeader header)
    {
        Login = null;
        Audit = null;
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
        _queuedBytes = 0;
        _dataWritten = 0;
        _sequenceCount = 0;
        NewGeneration();
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
            if (!TryMoveUnlessAborted(ExchangePhase.ReceivingData))
            {
                // Aborted while it waited to ask for its data: nothing goes out.
                Recycle();
                return true;
            }

            Span<byte> payload = stackalloc byte[FcpTransferReady.Length];
            new FcpTransferReady(0, (uint)DataLength).TryWrite(payload);
            emitter.Write(Header(FcRoutingControl.TransferReady, FcFrameControl.TransferReady, 0, 0), payload, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate);
            return true;
        }

        // The final phase. Free the exchange table slot before the FCP_RSP can reach the initiator: once it
        // has the response it may reuse the OX_ID at once. An aborted command sends nothing (FC-FS: after ABTS,
        // SAM-5: an aborted task sends no status). (Idempotent: a large answer comes back here per piece; the first
        // piece took the slot, so an abort can no longer claim it.)
        if (!_connection.Release(this))
        {
            Recycle();
            return true;
        }

        if (!WriteDataIn(emitter, maxBytes))
        {
            return false;
        }

        FcpResponse response = Response;
        int length = response.EncodedLength;
        response.TryWrite(_responseBuffer);
        emitter.Write(Header(FcRoutingControl.Response, FcFrameControl.Response, 0, 0), _responseBuffer.AsSpan(0, length), FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate);
        ReturnData(sent: true);
        MoveTo(ExchangePhase.Free);
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
        MoveTo(ExchangePhase.Free);
        _connection.Return(this);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowIllegalMove(ExchangePhase from, ExchangePhase to)
    {
        throw new InvalidOperationException("an exchange moved from " + from + " to " + to + ", which its owner never does (a second owner: docs/architecture.md, \"Target dispatch\")");
    }

    private void NewGeneration()
    {
        // A pooled exchange starts a new command: no other thread sees it until it enters the table.
        long state = Volatile.Read(ref _state);
        Volatile.Write(ref _state, ((state >> GenerationShift) + 1) << GenerationShift);
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
