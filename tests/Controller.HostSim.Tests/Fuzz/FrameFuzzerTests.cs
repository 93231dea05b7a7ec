// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.HostSim.Core.Fuzz;
using Controller.Wire;
using Controller.Wire.Els;

namespace Controller.HostSim.Tests.Fuzz;

public sealed class FrameFuzzerTests
{
    private const int Inputs = 50_000;

    [Test]
    public void TheSameSeedGivesTheSameInputsAndAnotherSeedOthers()
    {
        FrameFuzzer a = new(11, 1_000);
        FrameFuzzer b = new(11, 1_000);
        FrameFuzzer c = new(12, 1_000);
        FuzzInput x = new();
        FuzzInput y = new();
        FuzzInput z = new();
        int differing = 0;
        for (int i = 0; i < 5_000; i++)
        {
            a.Next(x);
            b.Next(y);
            c.Next(z);
            Assert.That(y.Span.SequenceEqual(x.Span) && y.Kind == x.Kind, Is.True, "input " + i + " depends on the seed only");
            differing += z.Span.SequenceEqual(x.Span) ? 0 : 1;
        }

        Assert.That(differing, Is.GreaterThan(4_000), "another seed, other inputs (the logins at each connection's start are the same)");
    }

    [Test]
    public void EveryConnectionStartsWithPlogiAndPrliToBothFuzzPorts()
    {
        FrameFuzzer fuzzer = new(5, 100);
        FuzzInput input = new();
        for (int i = 0; i < 300; i++)
        {
            fuzzer.Next(input);
            Assert.That(input.NewConnection, Is.EqualTo(i % 100 == 0), "input " + i + ": a new connection every 100 inputs");
            if (i % 100 < 4)
            {
                FcFrameHeader.TryRead(input.Span, out FcFrameHeader header);
                byte command = input.Bytes[FcFrameHeader.Length];
                Assert.That(header.SourceId, Is.EqualTo(new PortId(FuzzTopology.FuzzHost)), "input " + i + ": the fuzz host logs in");
                Assert.That(header.DestinationId, Is.EqualTo(i % 100 < 2 ? new PortId(FuzzTopology.PortA) : new PortId(FuzzTopology.PortB)), "input " + i + ": port A, then port B");
                Assert.That(command, Is.EqualTo(i % 2 == 0 ? ElsCommand.PortLogin : ElsCommand.ProcessLogin), "input " + i + ": PLOGI, then PRLI");
            }
        }
    }

    [Test]
    public void TheMixFollowsTheDocumentedProportions()
    {
        FrameFuzzer fuzzer = new(1, 50_000);
        FuzzInput input = new();
        long[] kinds = new long[(int)FuzzInputKind.FcipBytes + 1];
        for (int i = 0; i < Inputs; i++)
        {
            fuzzer.Next(input);
            kinds[(int)input.Kind]++;
        }

        // Per thousand: mutated 180, FCIP bytes 100, random 40, data 140 exactly as drawn; commands give some of
        // their share to ELS, because a command to a port the host is not logged in to becomes the login.
        Assert.Multiple(() =>
        {
            Assert.That(kinds[(int)FuzzInputKind.Mutated] * 1000.0 / Inputs, Is.EqualTo(180).Within(10), "mutated");
            Assert.That(kinds[(int)FuzzInputKind.FcipBytes] * 1000.0 / Inputs, Is.EqualTo(100).Within(8), "FCIP bytes");
            Assert.That(kinds[(int)FuzzInputKind.RandomFrame] * 1000.0 / Inputs, Is.EqualTo(40).Within(5), "random frames");
            Assert.That(kinds[(int)FuzzInputKind.Data] * 1000.0 / Inputs, Is.EqualTo(140).Within(8), "FCP_DATA");
            Assert.That((kinds[(int)FuzzInputKind.Els] + kinds[(int)FuzzInputKind.ScsiCommand] + kinds[(int)FuzzInputKind.CopyManagement]) * 1000.0 / Inputs, Is.EqualTo(540).Within(15), "ELS and commands together");
            Assert.That(kinds[(int)FuzzInputKind.ScsiCommand], Is.GreaterThan(kinds[(int)FuzzInputKind.CopyManagement]), "more SCSI than copy-management commands");
        });
    }

    [Test]
    public void TheCanaryHostIsNeverASource()
    {
        FrameFuzzer fuzzer = new(9, 10_000);
        FuzzInput input = new();
        int withSource = 0;
        for (int i = 0; i < Inputs; i++)
        {
            fuzzer.Next(input);
            ReadOnlySpan<byte> frame = input.Span;

            // An input that does not decode to a frame header names no source at all: nothing to check in it.
            if (input.Encapsulated)
            {
                if (FcipEncapsulation.TryRead(frame, out FcipFrame decoded, out _, out _) != FcipDecodeStatus.Frame)
                {
                    continue;
                }

                frame = decoded.FcFrame;
            }

            if (FcFrameHeader.TryRead(frame, out FcFrameHeader header))
            {
                withSource++;
                Assert.That(header.SourceId, Is.Not.EqualTo(new PortId(FuzzTopology.CanaryHost)), "input " + i + " (" + input.Kind + ") would speak as the canary's host");
            }
        }

        Assert.That(withSource, Is.GreaterThan(Inputs * 8 / 10), "most inputs carry a frame header whose source was checked");
    }

    [Test]
    public void InputsStayWithinWhatTheWireCarries()
    {
        FrameFuzzer fuzzer = new(4, 10_000);
        FuzzInput input = new();
        for (int i = 0; i < Inputs; i++)
        {
            fuzzer.Next(input);
            int limit = input.Encapsulated ? FuzzInput.Capacity : FcipEncapsulation.MaxFcFrameLength;
            Assert.That(input.Length, Is.InRange(0, limit), "input " + i + " (" + input.Kind + "): an FC frame is at most 2,136 bytes");
        }
    }
}
