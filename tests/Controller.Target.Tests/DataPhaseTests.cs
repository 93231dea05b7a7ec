// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Wire;
using Controller.Wire.CopyManagement;

namespace Controller.Target.Tests;

/// <summary>
/// FCP_DATA for a command whose data phase is over, frame by frame on a deterministic controller
/// (<see cref="SteppedTarget"/>): the command keeps its exchange and is answered exactly once.
/// </summary>
public sealed class DataPhaseTests
{
    private const ushort SplitExchange = 0x0020;
    private static readonly WirePair s_pair = new(new WireVolumeId(new PortId(TargetRig.PortA), 1), new WireVolumeId(new PortId(TargetRig.PortA), 2));

    public enum StrayData
    {
        /// <summary>At a relative offset that does not continue the data: was DATA PHASE ERROR.</summary>
        WrongOffset,

        /// <summary>Empty, at the end of the data: was taken for "all the data arrived" a second time.</summary>
        EmptyAtTheEnd,
    }

    [TestCase(StrayData.WrongOffset)]
    [TestCase(StrayData.EmptyAtTheEnd)]
    public void DataForAnAtomicSplitStillRunningIsDiscardedAndTheSplitIsAnsweredOnce(StrayData stray)
    {
        // Found by `hostsim fuzz` (seed 42 stopped answering in 4 of 10 runs of 1,000,000 inputs): an ATOMIC SPLIT
        // answers from an MP when the split ends, but its exchange stayed "receiving data" meanwhile; an FCP_DATA
        // then got DATA PHASE ERROR (or ran the command again), posting the exchange while the split still held
        // it, and the split's answer posted it a second time after the writer had returned it to the pool.
        using SteppedTarget target = new(seed: 19);
        target.Login();
        Run(target, 0x0010, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, s_pair));
        target.RunAndReceive();
        Assert.That(target.Subsystem.Pairs.GetPairs()[0].State, Is.EqualTo(PairState.Pair), "the pair is made and copied");

        byte[] parameters = Start(target, SplitExchange, CopyManagementRequest.ForAtomicSplit([s_pair], SplitMechanism.Freeze, readWrite: false));
        target.SendData(SplitExchange, parameters);

        // The split now runs (its drain needs the MPs, which have not run); the stray frame comes in between.
        if (stray == StrayData.WrongOffset)
        {
            target.SendData(SplitExchange, parameters.AsSpan(0, 4), offset: 0);
        }
        else
        {
            target.SendData(SplitExchange, [], offset: (uint)parameters.Length);
        }

        // Checked before anything else runs: before the fix the exchange was already answered here, and running on
        // would send from a corrupted send queue.
        Assert.That(target.Connection.DescribeOutstanding(4), Is.EqualTo(new[] { "OX_ID 0x0020 opcode 0xC9 LUN 1 (Submitted)" }), "the stray FCP_DATA leaves the split's exchange with the split, unanswered");

        List<(FcFrameHeader Header, byte[] Payload)> sent = target.RunAndReceive();
        byte[] testUnitReady = new byte[6];
        target.SendCommand(SplitExchange, 1, testUnitReady, writeData: false, 0);
        sent.AddRange(target.RunAndReceive());
        List<FcpResponse> answers = Responses(sent, SplitExchange);
        Assert.Multiple(() =>
        {
            Assert.That(answers, Has.Count.EqualTo(2), "one FCP_RSP for the split and one for the TEST UNIT READY that reuses its OX_ID, nothing else");
            Assert.That(answers.Select(answer => answer.Status), Is.EqualTo(new[] { FcpResponse.Good, FcpResponse.Good }), "the split succeeded, then the TEST UNIT READY");
            Assert.That(target.Subsystem.Pairs.GetPairs()[0].State, Is.EqualTo(PairState.Psus), "the split took effect");
            Assert.That(target.Log, Has.Some.StartsWith("stepped host: FCP_DATA for unknown exchange OX_ID 0x0020"), "the stray frame was discarded, and the log says so");
            Assert.That(target.Connection.Outstanding, Is.Zero, "no exchange is left behind");
        });
    }

    private static byte[] Start(SteppedTarget target, ushort exchangeId, CopyManagementRequest request)
    {
        byte[] parameters = new byte[request.GetParameterListLength()];
        request.TryWrite(parameters, out _, out _);
        byte[] cdb = new byte[16];
        new CopyManagementCdb(request.Opcode, request.ReadWrite, request.Mechanism, (uint)parameters.Length).TryWrite(cdb);
        target.SendCommand(exchangeId, 1, cdb, writeData: true, (uint)parameters.Length);
        List<(FcFrameHeader Header, byte[] Payload)> sent = target.RunAndReceive();
        Assert.That(sent.Select(frame => (frame.Header.RoutingControl, frame.Header.OriginatorExchangeId)), Is.EqualTo(new[] { (FcRoutingControl.TransferReady, exchangeId) }), "the command asks for its parameter list");
        return parameters;
    }

    private static void Run(SteppedTarget target, ushort exchangeId, CopyManagementRequest request)
    {
        byte[] parameters = Start(target, exchangeId, request);
        target.SendData(exchangeId, parameters);
        List<FcpResponse> answers = Responses(target.RunAndReceive(), exchangeId);
        Assert.That(answers.Select(answer => answer.Status), Is.EqualTo(new[] { FcpResponse.Good }), CopyManagementOpcodes.GetName(request.Opcode) + " is answered GOOD");
    }

    private static List<FcpResponse> Responses(List<(FcFrameHeader Header, byte[] Payload)> frames, ushort exchangeId)
    {
        List<FcpResponse> responses = [];
        foreach ((FcFrameHeader header, byte[] payload) in frames)
        {
            if (header.RoutingControl == FcRoutingControl.Response && header.OriginatorExchangeId == exchangeId)
            {
                Assert.That(FcpResponse.TryRead(payload, out FcpResponse response, out string? reason), Is.True, "every FCP_RSP decodes: " + reason);
                responses.Add(response);
            }
        }

        return responses;
    }
}
