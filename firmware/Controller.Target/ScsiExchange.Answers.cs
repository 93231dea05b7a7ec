// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Controller.Target.Scsi;
using Controller.Wire;

namespace Controller.Target;

/// <summary>
/// The exchange as the context of its command (docs/architecture.md, "Target dispatch"): it knows its connection and
/// login, and the command's handlers answer through it (GOOD, CHECK CONDITION with the reason logged, data in, a
/// bare status) or ask through it for their write data. Whichever thread holds the command calls these.
/// </summary>
internal sealed partial class ScsiExchange
{
    /// <summary>Answers GOOD with no data.</summary>
    public void Good()
    {
        Answer(FcpResponse.Good);
        Respond();
    }

    /// <summary>Answers CHECK CONDITION with <paramref name="sense"/>, and logs why.</summary>
    /// <param name="sense">The sense data.</param>
    /// <param name="reason">Why, for the log.</param>
    public void Refuse(SenseData sense, string reason)
    {
        ConnectionLog.CheckCondition(_connection.Logger, _connection.Peer, sense, _cdb[0], OriginatorExchangeId, reason);
        Answer(FcpResponse.CheckCondition, sense);
        Respond();
    }

    /// <summary>Answers a status with no sense and no data (RESERVATION CONFLICT, TASK SET FULL).</summary>
    /// <param name="status">The SCSI status.</param>
    public void RespondStatus(byte status)
    {
        Answer(status);
        Respond();
    }

    /// <summary>Answers GOOD with <paramref name="length"/> bytes of <see cref="Data"/>; a data-in command sent with WRDATA is refused.</summary>
    /// <param name="length">The bytes the answer has.</param>
    public void RespondWithData(int length)
    {
        if (WriteData)
        {
            Refuse(SenseData.InvalidFieldInCdb, "a data-in command sent with WRDATA");
            return;
        }

        AnswerWithData(length);
        Respond();
    }

    /// <summary>Hands the answer set by <see cref="Answer"/> or <see cref="AnswerWithData"/> to the writer.</summary>
    public void Respond()
    {
        MoveTo(ExchangePhase.Responding);
        _connection.Post(this);
    }

    /// <summary>
    /// Asks for a data-out command's data: FCP_XFER_RDY for all of it, or nothing when first burst was negotiated (the
    /// data follows the command). FCP_DL must equal <paramref name="expected"/> and WRDATA be set. With nothing to
    /// receive, the command goes on at once (<see cref="ScsiCommandSet.OnDataOut"/>).
    /// </summary>
    /// <param name="expected">The bytes the command's CDB says it moves out.</param>
    public void RequestData(int expected)
    {
        if (expected == 0)
        {
            _connection.OnDataComplete(this);
            return;
        }

        if (!WriteData || DataLength != expected)
        {
            Refuse(SenseData.InvalidFieldInCdb, "command 0x" + _cdb[0].ToString("X2", CultureInfo.InvariantCulture) + " moves " + expected + " bytes out; the FCP_CMND says " + (WriteData ? "WRDATA" : "no WRDATA") + " with FCP_DL " + DataLength);
            return;
        }

        RentData(expected);
        if (Login!.FirstBurst)
        {
            if (!TryMoveUnlessAborted(ExchangePhase.ReceivingData))
            {
                // Another connection's task management function aborted it meanwhile: the writer frees it.
                _connection.Post(this);
            }

            return;
        }

        MoveTo(ExchangePhase.TransferReady);
        _connection.Post(this);
    }

    /// <summary>
    /// Answers a control-plane command once the change it reports is kept (docs/durability.md): GOOD, or CHECK
    /// CONDITION with the pair error's sense (05/80/code); the audit line, if any, says which. The one way a pair
    /// command, a split, a mirror name or a remote-copy control message ends.
    /// </summary>
    /// <param name="outcome">The result.</param>
    public void Complete(in CommandOutcome outcome)
    {
        CommandOutcome result = outcome;
        _connection.Commit(() => Finish(result));
    }

    private void Finish(in CommandOutcome outcome)
    {
        if (outcome.Accepted)
        {
            Audit?.Accepted();
            if (outcome.Data is byte[] data)
            {
                data.CopyTo(RentData(data.Length), 0);
                RespondWithData(data.Length);
                return;
            }

            Good();
            return;
        }

        Audit?.Refused(outcome.Sense, outcome.Reason);
        Refuse(outcome.Sense, outcome.Reason);
    }
}
