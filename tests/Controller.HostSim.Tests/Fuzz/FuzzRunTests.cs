// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;
using Controller.HostSim.Core.Fuzz;
using Controller.Wire;
using Controller.Wire.Transport;

namespace Controller.HostSim.Tests.Fuzz;

public sealed class FuzzRunTests
{
    [TestCase(7UL)]
    [TestCase(42UL)]
    [Category("R0-36")]
    public void AShortRunHoldsEveryInvariant(ulong seed)
    {
        // The CI-sized run: 20,000 inputs on each of two seeds, deterministic (seed 42 is the one that stopped
        // answering before #19 item 5). Four connections, so the run also closes and opens them as the long one does.
        FuzzReport report = FuzzRun.Run(new FuzzOptions { Inputs = 20_000, Seed = seed, InputsPerConnection = 5_000 });
        Assert.Multiple(() =>
        {
            Assert.That(report.Mode, Is.EqualTo("deterministic"), "the default mode");
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
            Assert.That(report.SchedulerSteps, Is.GreaterThan(report.Inputs / 2), "the controller ran on the run's scheduler");
        });
    }

    [Test]
    [Category("R0-36")]
    public void TwoRunsOfOneSeedGiveTheSameReport()
    {
        // A fuzz run is a function of its seed: the inputs, and (deterministic mode) every step of the controller, so
        // what the target answered, logged and held is the same, to the count, every time.
        FuzzOptions options = new() { Inputs = 6_000, Seed = 42, InputsPerConnection = 2_000 };
        FuzzReport first = FuzzRun.Run(options);
        FuzzReport second = FuzzRun.Run(options);
        Assert.Multiple(() =>
        {
            Assert.That(first.Passed, Is.True, "the run passes: " + first.ToText());
            Assert.That(WithoutTimes(second.ToJson()), Is.EqualTo(WithoutTimes(first.ToJson())), "the same report, but for the wall-clock time");
            Assert.That(second.Answers, Is.EqualTo(first.Answers), "the same answers, kind by kind");
            Assert.That(second.TopLog, Is.EqualTo(first.TopLog), "the same log, kind by kind");
            Assert.That(second.SchedulerSteps, Is.EqualTo(first.SchedulerSteps), "the same number of controller steps");
            Assert.That(first.Answers[(int)TargetAnswer.Good] + first.Answers[(int)TargetAnswer.CheckCondition], Is.GreaterThan(1_000), "and a report worth comparing");
        });
    }

    [Test]
    [Category("R0-36")]
    public void ARunSeededToFailFailsAtTheSameInputEveryTime()
    {
        // An injected fault that depends on the target's state, not only on the inputs: once a connection holds 20
        // exchanges (how many are held at each input depends on when the send side and the MPs ran), the handler
        // stops passing frames on, catch-up markers included, like a target that hangs. Deterministic mode finds it
        // at the same catch-up every time, and says so without a clock.
        FuzzOptions options = new() { Inputs = 20_000, Seed = 5, InputsPerConnection = 10_000, WrapHandler = inner => new HangsWhenBusyHandler((Controller.Target.TargetConnection)inner, 20) };
        FuzzReport first = FuzzRun.Run(options);
        FuzzReport second = FuzzRun.Run(options);
        Assert.Multiple(() =>
        {
            Assert.That(first.Passed, Is.False, "the hang fails the run");
            Assert.That(first.TargetFaults, Has.Length.EqualTo(1).And.Some.Contains("the target stopped answering (the scheduler went idle with the LOGO unanswered)"), "the verdict names no clock");
            Assert.That(first.TargetFaults[0], Does.Contain("exchanges outstanding").And.Contain("controller: 0 host commands in flight").And.Contain("scheduler: "), "with the connection's, the MPs' and the scheduler's state");
            Assert.That(first.Inputs, Is.LessThan(options.Inputs).And.GreaterThan(128), "the run stops at the catch-up that found it");
            Assert.That(second.Inputs, Is.EqualTo(first.Inputs), "the same input, both times");
            Assert.That(second.TargetFaults, Is.EqualTo(first.TargetFaults), "the same message, both times");
            Assert.That(WithoutTimes(second.ToJson()), Is.EqualTo(WithoutTimes(first.ToJson())), "the same report");
        });
    }

    // The report's JSON without the two wall-clock figures ("seconds", "inputsPerSecond").
    private static string WithoutTimes(string json)
    {
        return System.Text.RegularExpressions.Regex.Replace(json, "\"(seconds|inputsPerSecond)\":[0-9.E+-]+,", string.Empty);
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

    // A target that hangs once busy: from the first frame that finds the connection holding `limit` exchanges on, it
    // passes nothing on.
    private sealed class HangsWhenBusyHandler : IFcFrameHandler
    {
        private readonly Controller.Target.TargetConnection _inner;
        private readonly int _limit;
        private bool _hung;

        public HangsWhenBusyHandler(Controller.Target.TargetConnection inner, int limit)
        {
            _inner = inner;
            _limit = limit;
        }

        public bool OnFrame(in FcFrameHeader header, ReadOnlySpan<byte> payload, out string? closeReason)
        {
            _hung |= _inner.Outstanding >= _limit;
            if (_hung)
            {
                closeReason = null;
                return true;
            }

            return _inner.OnFrame(header, payload, out closeReason);
        }
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
