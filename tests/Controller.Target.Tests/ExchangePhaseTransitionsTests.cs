// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;
using Controller.Wire.Transport;

namespace Controller.Target.Tests;

/// <summary>
/// Who moves an exchange's phase (docs/architecture.md, "Target dispatch"): every cell of
/// <see cref="ExchangePhaseTransitions"/>, and an exchange that refuses a move its owner never makes.
/// </summary>
public sealed class ExchangePhaseTransitionsTests
{
    // The legal moves and their owners, written out independently of the table; every other cell is illegal.
    private static readonly Dictionary<(ExchangePhase From, ExchangePhase To), string> Legal = new()
    {
        [(ExchangePhase.Free, ExchangePhase.TransferReady)] = "reader",
        [(ExchangePhase.Free, ExchangePhase.ReceivingData)] = "reader",
        [(ExchangePhase.Free, ExchangePhase.Submitted)] = "reader",
        [(ExchangePhase.Free, ExchangePhase.Responding)] = "reader",
        [(ExchangePhase.Free, ExchangePhase.Aborted)] = "reader",
        [(ExchangePhase.TransferReady, ExchangePhase.ReceivingData)] = "writer",
        [(ExchangePhase.TransferReady, ExchangePhase.Aborted)] = "writer",
        [(ExchangePhase.TransferReady, ExchangePhase.Free)] = "writer",
        [(ExchangePhase.ReceivingData, ExchangePhase.DataArriving)] = "reader",
        [(ExchangePhase.ReceivingData, ExchangePhase.Aborted)] = "abort",
        [(ExchangePhase.ReceivingData, ExchangePhase.Free)] = "closer",
        [(ExchangePhase.DataArriving, ExchangePhase.ReceivingData)] = "reader",
        [(ExchangePhase.DataArriving, ExchangePhase.Submitted)] = "reader",
        [(ExchangePhase.DataArriving, ExchangePhase.Responding)] = "reader",
        [(ExchangePhase.DataArriving, ExchangePhase.Aborted)] = "reader",
        [(ExchangePhase.Submitted, ExchangePhase.TransferReady)] = "reader",
        [(ExchangePhase.Submitted, ExchangePhase.ReceivingData)] = "reader",
        [(ExchangePhase.Submitted, ExchangePhase.Submitted)] = "reader",
        [(ExchangePhase.Submitted, ExchangePhase.Aborted)] = "reader",
        [(ExchangePhase.Submitted, ExchangePhase.Responding)] = "executor",
        [(ExchangePhase.Submitted, ExchangePhase.Free)] = "writer",
        [(ExchangePhase.Responding, ExchangePhase.Free)] = "writer",
        [(ExchangePhase.Aborted, ExchangePhase.Free)] = "writer",
    };

    private static IEnumerable<TestCaseData> Cells()
    {
        foreach (ExchangePhase from in Enum.GetValues<ExchangePhase>())
        {
            foreach (ExchangePhase to in Enum.GetValues<ExchangePhase>())
            {
                yield return new TestCaseData((int)from, (int)to, Legal.GetValueOrDefault((from, to))).SetName("{m}(" + from + " -> " + to + ")");
            }
        }
    }

    [TestCaseSource(nameof(Cells))]
    public void EachMoveIsLegalExactlyAsWrittenAndMadeByItsOwner(int fromPhase, int toPhase, string? owner)
    {
        ExchangePhase from = (ExchangePhase)fromPhase;
        ExchangePhase to = (ExchangePhase)toPhase;
        Assert.Multiple(() =>
        {
            Assert.That(ExchangePhaseTransitions.IsAllowed(from, to), Is.EqualTo(owner is not null), from + " -> " + to + (owner is null ? " is never made" : " is made by the " + owner));
            Assert.That(ExchangePhaseTransitions.OwnerOf(from, to), Is.EqualTo(owner), "the owner of " + from + " -> " + to);
        });
    }

    [Test]
    public async Task AnExchangeRefusesAMoveItsOwnerNeverMakesAndKeepsItsPhase()
    {
        await using TargetRig rig = new(new TargetOptions { Limits = new ConnectionLimits { LoginTimeout = null } });
        (DuplexPipe _, DuplexPipe target) = DuplexPipe.CreatePair();
        ScsiExchange exchange = new(rig.FrontEnd.Accept(target, "probe"));
        exchange.StartRefusal(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, 0x0042));
        exchange.MoveTo(ExchangePhase.Responding);

        // A second owner posting it again for FCP_XFER_RDY (the double post the fuzzer found) fails at the move.
        InvalidOperationException? refused = Assert.Throws<InvalidOperationException>(() => exchange.MoveTo(ExchangePhase.TransferReady));
        Assert.Multiple(() =>
        {
            Assert.That(refused!.Message, Does.Contain("from Responding to TransferReady"), "the refusal names both phases");
            Assert.That(exchange.Phase, Is.EqualTo(ExchangePhase.Responding), "the phase stays its owner's");
        });
    }

    [Test]
    public async Task AMoveKeepsTheMarksAnAbortSetMeanwhile()
    {
        await using TargetRig rig = new(new TargetOptions { Limits = new ConnectionLimits { LoginTimeout = null } });
        (DuplexPipe _, DuplexPipe target) = DuplexPipe.CreatePair();
        ScsiExchange exchange = new(rig.FrontEnd.Accept(target, "probe"));
        exchange.StartRefusal(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, 0x0043));
        exchange.InTable = true;
        exchange.MoveTo(ExchangePhase.Submitted);

        // An abort from another thread claims it while the MP has it; the MP's answer then moves the phase.
        Assert.That(exchange.TryClaimForAbort(exchange.State, out bool reclaimed), Is.True, "the abort claims a live command");
        exchange.MoveTo(ExchangePhase.Responding);
        Assert.Multiple(() =>
        {
            Assert.That(reclaimed, Is.False, "a command on an MP is not parked: the MP's answer hands it on");
            Assert.That(exchange.IsAborted, Is.True, "the move kept the abort mark, so the writer sends nothing");
            Assert.That(exchange.InTable, Is.False, "and kept it out of the OX_ID table");
            Assert.That(exchange.Phase, Is.EqualTo(ExchangePhase.Responding), "the move happened");
        });
    }
}
