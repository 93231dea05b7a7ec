// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Firmware.Tests.Addressing;

public sealed class LdevIdTests
{
    [TestCase("00:01", (ushort)0x0001)]
    [TestCase("00:2A", (ushort)0x002A)]
    [TestCase("12:34", (ushort)0x1234)]
    [TestCase("FF:FF", (ushort)0xFFFF)]
    [TestCase("00:00", (ushort)0x0000)]
    public void CuLdevTextRoundTripsExactly(string text, ushort value)
    {
        LdevId id = LdevId.Parse(text);
        Assert.That(id.Value, Is.EqualTo(value), "CU in the high byte, LDEV in the low byte");
        Assert.That(id.ToString(), Is.EqualTo(text), "format(parse(text)) is the text itself");
    }

    [TestCase("0a:2b")]
    [TestCase("  0A:2B ")]
    public void LowerCaseAndSurroundingSpacePrintInTheCanonicalForm(string text)
    {
        Assert.That(LdevId.Parse(text).ToString(), Is.EqualTo("0A:2B"), "'" + text + "' normalises to upper-case CU:LDEV");
    }

    [TestCase("", "LDEV ID is missing")]
    [TestCase("1:02", "LDEV ID '1:02' must be CU:LDEV, two hex digits on each side of the colon")]
    [TestCase("001:02", "LDEV ID '001:02' must be CU:LDEV, two hex digits on each side of the colon")]
    [TestCase("0001", "LDEV ID '0001' must be CU:LDEV, two hex digits on each side of the colon")]
    [TestCase("00-01", "LDEV ID '00-01' must be CU:LDEV, two hex digits on each side of the colon")]
    [TestCase("0G:01", "LDEV ID '0G:01' has a character that is not a hex digit")]
    [TestCase("00:+1", "LDEV ID '00:+1' has a character that is not a hex digit")]
    public void MalformedTextIsRejectedSayingWhatIsWrong(string text, string expected)
    {
        Assert.That(LdevId.TryParse(text, out _, out string? error), Is.False, "'" + text + "' is not an LDEV ID");
        Assert.That(error, Does.StartWith(expected), "the message says what is wrong");
        FormatException? ex = Assert.Throws<FormatException>(() => LdevId.Parse(text), "Parse throws for '" + text + "'");
        Assert.That(ex!.Message, Is.EqualTo(error), "Parse and TryParse give the same message");
    }

    [Test]
    public void EveryValueRoundTripsThroughItsText()
    {
        // All 65,536 values: cheaper than a property test and exhaustive.
        string? firstFailure = null;
        for (int value = 0; value <= ushort.MaxValue && firstFailure is null; value++)
        {
            LdevId id = new((ushort)value);
            if (!LdevId.TryParse(id.ToString(), out LdevId back, out string? error) || back != id)
            {
                firstFailure = id + ": " + (error ?? "parsed as " + back);
            }
        }

        Assert.That(firstFailure, Is.Null, "parse(format(id)) is id for every LDEV ID");
    }
}
