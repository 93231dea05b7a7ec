// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.CopyManagement;

namespace Controller.Wire.Tests.CopyManagement;

public sealed class MirrorNameBlockTests
{
    [TestCase(1, 8)]
    [TestCase(3, 8)]
    [TestCase(4, 8)]
    [TestCase(5, 12)]
    [TestCase(7, 12)]
    [TestCase(31, 36)]
    [TestCase(32, 36)]
    public void TheNameIsPaddedToAMultipleOfFourBytes(int nameLength, int blockLength)
    {
        Assert.That(MirrorNameBlock.GetEncodedLength(nameLength), Is.EqualTo(blockLength), "header and " + nameLength + " characters padded to 4");
    }

    [Test]
    public void EveryNameLengthRoundTripsWithZeroPadding()
    {
        byte[] block = new byte[MirrorNameBlock.MaxLength + 8];
        for (int length = 1; length <= MirrorNameBlock.MaxNameLength; length++)
        {
            // Cycles through every printable character, the edges 0x21 '!' and 0x7E '~' included.
            char[] characters = new char[length];
            for (int i = 0; i < length; i++)
            {
                characters[i] = (char)(0x21 + (((length * 7) + i) % 94));
            }

            string name = new(characters);
            block.AsSpan().Fill(0xEE);
            Assert.That(MirrorNameBlock.TryWrite(name, block, out int written, out string? reason), Is.True, name + ": " + reason);
            Assert.That(written, Is.EqualTo(MirrorNameBlock.GetEncodedLength(length)), name + ": the block's length");
            Assert.That(block[0], Is.EqualTo(length), name + ": L in byte 0");
            Assert.That(block.AsSpan(1, 3).ToArray(), Is.All.Zero, name + ": reserved bytes 1-3");
            Assert.That(block.AsSpan(4 + length, written - 4 - length).ToArray(), Is.All.Zero, name + ": padding is zeros");
            Assert.That(block[written], Is.EqualTo(0xEE), name + ": nothing written past the block");

            Assert.That(MirrorNameBlock.TryRead(block, out string read, out int consumed, out CopyManagementError error), Is.True, name + ": " + error);
            Assert.That((read, consumed), Is.EqualTo((name, written)), name + ": the same name, and the block's length consumed");
        }
    }

    [TestCase("AUXSET1", true, null)]
    [TestCase("!", true, null)]
    [TestCase("~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~", true, null)]
    [TestCase("", false, "empty")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false, "33 characters, more than 32")]
    [TestCase("AUX SET", false, "character 3 is U+0020")]
    [TestCase("AUX\tSET", false, "character 3 is U+0009")]
    [TestCase("AUX\u007F", false, "character 3 is U+007F")]
    [TestCase("\u00C5SET", false, "character 0 is U+00C5")]
    public void TheNameRulesArePrintableAsciiOneToThirtyTwo(string name, bool valid, string? reasonPart)
    {
        Assert.That(MirrorNameBlock.IsValidName(name, out string? reason), Is.EqualTo(valid), "'" + name + "'");
        if (reasonPart is not null)
        {
            Assert.That(reason, Does.Contain(reasonPart), "the reason names the rule broken");
            Assert.That(MirrorNameBlock.TryWrite(name, new byte[64], out int written, out _), Is.False, "an invalid name is not encoded");
            Assert.That(written, Is.Zero, "nothing written");
        }
    }

    [Test]
    public void TheBlockIsReadFromTheStartAndWhatFollowsIsLeft()
    {
        byte[] bytes = Convert.FromHexString("0300000041424300" + "00010000");
        Assert.That(MirrorNameBlock.TryRead(bytes, out string name, out int consumed, out CopyManagementError error), Is.True, error.ToString());
        Assert.That((name, consumed), Is.EqualTo(("ABC", 8)), "the name, and the 8 bytes of its block; the pair list follows");
    }

    [Test]
    public void AShortDestinationIsRefusedAndNothingIsWritten()
    {
        byte[] block = new byte[11];
        Assert.That(MirrorNameBlock.TryWrite("AUXSET1", block, out int written, out string? reason), Is.False, "AUXSET1 needs 12 bytes");
        Assert.That(reason, Does.Contain("needs 12 bytes, the buffer has 11"), "the reason gives both lengths");
        Assert.That((written, block), Is.EqualTo((0, new byte[11])), "nothing written");
    }

    [Test]
    public void AHeaderCutShortIsALengthError()
    {
        Assert.That(MirrorNameBlock.TryRead(new byte[] { 7, 0, 0 }, out _, out _, out CopyManagementError error), Is.False, "3 bytes");
        Assert.That(error.Sense, Is.EqualTo(SenseData.ParameterListLengthError), error.ToString());
        Assert.That(error.Reason, Does.Contain("shorter than its 4-byte header"), "the reason names the header");
    }
}
