// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.CopyManagement;

namespace Controller.Wire.Tests.CopyManagement;

public sealed class CopyManagementErrorTests
{
    [Test]
    public void TheCopyManagementSensesHaveTheValuesOfTheDoc()
    {
        Assert.That(SenseData.InvalidFieldInParameterList.ToString(), Is.EqualTo("05/26/00"), "INVALID FIELD IN PARAMETER LIST");
        Assert.That(SenseData.ParameterListLengthError.ToString(), Is.EqualTo("05/1A/00"), "PARAMETER LIST LENGTH ERROR");
        Assert.That(SenseData.VolumeNotMapped.ToString(), Is.EqualTo("05/81/00"), "a volume of the parameter list is not mapped");
        Assert.That(SenseData.PairRejected(0x01).ToString(), Is.EqualTo("05/80/01"), "NotPaired");
        Assert.That(SenseData.PairRejected(0x0B).ToString(), Is.EqualTo("05/80/0B"), "MirrorLoop");
    }

    [Test]
    public void APairRejectionCarriesTheErrorCodeInTheAscqOfFixedFormatSense()
    {
        byte[] bytes = new byte[SenseData.Length];
        Assert.That(SenseData.PairRejected(0x07).TryWrite(bytes), Is.True, "the sense encodes");
        Assert.That((bytes[2], bytes[12], bytes[13]), Is.EqualTo(((byte)0x05, (byte)0x80, (byte)0x07)), "ILLEGAL REQUEST, ASC 0x80, ASCQ MirrorUnitsExhausted");
    }

    [Test]
    public void AnErrorFormatsAsItsSenseAndItsReason()
    {
        CopyManagementError error = new(SenseData.InvalidFieldInParameterList, "ATOMIC SPLIT needs one pair or more, the list has none");
        Assert.That(error.ToString(), Is.EqualTo("05/26/00 ATOMIC SPLIT needs one pair or more, the list has none"), "for the log");
        Assert.That(default(CopyManagementError).Reason, Is.Empty, "no error, no reason");
    }
}
