// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;
using Controller.HostSim.Fuzz;
using Controller.Wire;
using Controller.Wire.Transport;

namespace Controller.HostSim.Tests.Fuzz;

public sealed class FuzzRunTests
{
    [Test]
    public void AShortRunHoldsEveryInvariant()
    {
        // Four connections, so the run also closes and opens them as the long one does.
        FuzzReport report = FuzzRun.Run(new FuzzOptions { Inputs = 20_000, Seed = 7, InputsPerConnection = 5_000 });
        Assert.Multiple(() =>
        {
            Assert.That(report.Failure, Is.Null, "no exception escapes TryRead or OnFrame: " + report.Failure?.Exception);
            Assert.That(report.TargetFaults, Is.Empty, "the target's send sides and output streams never fail");
            Assert.That(report.Quiesced, Is.True, "every host command in flight finishes");
            Assert.That(report.CanaryProblem, Is.Null, "the acknowledged canary write reads back as written");
            Assert.That(report.StillServingProblem, Is.Null, "a fresh host logs in and gets TEST UNIT READY GOOD");
            Assert.That(report.Passed, Is.True, "the verdict");
            Assert.That(report.Inputs, Is.EqualTo(20_000), "every input was fed");
            Assert.That(report.Connections, Is.EqualTo(4), "a new connection every 5,000 inputs");
            Assert.That(report.ByKind, Has.All.GreaterThan(0), "every kind of input is in the mix");
            Assert.That(report.Feeding.FcipDecoded, Is.GreaterThan(0).And.LessThan(report.Feeding.FcipInputs), "some byte-level inputs decode, most do not");
            Assert.That(report.Answers[(int)TargetAnswer.Good], Is.GreaterThan(0), "some commands succeed");
            Assert.That(report.Answers[(int)TargetAnswer.TransferReady], Is.GreaterThan(0), "some writes ask for their data");
            Assert.That(report.LogLines, Is.GreaterThan(0), "refusals are logged");
            Assert.That(report.CatchUps, Is.GreaterThan(100), "the run waited for the target every 128 inputs, and it always answered");
        });
    }

    [Test]
    public void ARunStopsAtTheFirstExceptionAndNamesTheInputThatCausedIt()
    {
        const ulong Seed = 3;
        const int PerConnection = 1_000;
        FuzzReport report = FuzzRun.Run(new FuzzOptions
        {
            Inputs = 5_000,
            Seed = Seed,
            InputsPerConnection = PerConnection,
            WrapHandler = inner => new BrokenOnDataHandler(inner),
        });

        Assert.That(report.Failure, Is.Not.Null, "the broken handler throws on the first FCP_DATA frame");
        FuzzFailure failure = report.Failure!;

        // Replaying the seed to the reported index gives the very input that was fed.
        FrameFuzzer replay = new(Seed, PerConnection);
        FuzzInput input = new();
        for (long i = 0; i <= failure.Index; i++)
        {
            replay.Next(input);
        }

        using JsonDocument json = JsonDocument.Parse(report.ToJson());
        Assert.Multiple(() =>
        {
            Assert.That(report.Passed, Is.False, "an exception fails the run");
            Assert.That(report.Exceptions, Is.EqualTo(1), "the first exception stops the run");
            Assert.That(report.Inputs, Is.EqualTo(failure.Index + 1), "no input is fed after the failing one");
            Assert.That(failure.Seed, Is.EqualTo(Seed), "the failure names the seed");
            Assert.That(failure.Exception, Does.Contain("deliberately broken"), "and carries the exception");
            Assert.That(failure.Kind, Is.EqualTo(input.Kind), "the kind of the failing input");
            Assert.That(failure.InputHex, Is.EqualTo(input.ToHex()), "the failing input's bytes, as the replay makes them");
            Assert.That(report.CanaryProblem, Is.Null, "the controller itself was not harmed");
            Assert.That(json.RootElement.GetProperty("passed").GetBoolean(), Is.False, "the JSON verdict");
            Assert.That(json.RootElement.GetProperty("failure").GetProperty("index").GetInt64(), Is.EqualTo(failure.Index), "the JSON names the input");
            Assert.That(report.ToText(), Does.Contain("verdict             FAILED").And.Contain("at input " + failure.Index.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)), "so does the text");
        });
    }

    // A frame handler with a bug: it throws on FCP_DATA, and passes everything else to the target.
    private sealed class BrokenOnDataHandler : IFcFrameHandler
    {
        private readonly IFcFrameHandler _inner;

        public BrokenOnDataHandler(IFcFrameHandler inner)
        {
            _inner = inner;
        }

        public bool OnFrame(in FcFrameHeader header, ReadOnlySpan<byte> payload, out string? closeReason)
        {
            if (header.RoutingControl == FcRoutingControl.Data && header.Type == FcFrameHeader.TypeFcp)
            {
                throw new InvalidOperationException("a deliberately broken handler");
            }

            return _inner.OnFrame(header, payload, out closeReason);
        }
    }
}
