// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Tests;

public sealed class FcpResponseTests
{
    // CHECK CONDITION, FCP_RESID_UNDER 4096, DATA PROTECT / WRITE PROTECTED sense: the payload of a frame tshark 4.0
    // decodes as "SCSI Status: Check Condition", "FCP_RESID: 4096", "Additional Sense Code+Qualifier: Write
    // Protected (0x2700)".
    private static readonly byte[] GoldenWriteProtected = Convert.FromHexString("000000000000000000000A02000010000000001200000000700007000000000A00000000270000000000");

    [Test]
    public void AWriteProtectedResponseEncodesByteForByte()
    {
        FcpResponse response = new(FcpResponse.CheckCondition, 4096, Under: true, Over: false, SenseData.WriteProtected);
        byte[] iu = new byte[response.EncodedLength];
        Assert.That(response.TryWrite(iu), Is.True);
        Assert.That(Convert.ToHexString(iu), Is.EqualTo(Convert.ToHexString(GoldenWriteProtected)));
    }

    [Test]
    public void TheResponseDecodesBackWithItsSense()
    {
        Assert.That(FcpResponse.TryRead(GoldenWriteProtected, out FcpResponse response, out string? reason), Is.True, reason);
        Assert.That(response, Is.EqualTo(new FcpResponse(FcpResponse.CheckCondition, 4096, true, false, SenseData.WriteProtected)));
        Assert.That(response.Sense!.Value.ToString(), Is.EqualTo("07/27/00"), "key/ASC/ASCQ");
    }

    [Test]
    public void AGoodResponseIsTwentyFourBytesWithoutSense()
    {
        FcpResponse good = new(FcpResponse.Good, 0, false, false, null);
        byte[] iu = new byte[good.EncodedLength];
        Assert.That((iu.Length, good.TryWrite(iu)), Is.EqualTo((24, true)));
        Assert.That(FcpResponse.TryRead(iu, out FcpResponse read, out _), Is.True);
        Assert.That(read, Is.EqualTo(good));
    }

    [Test]
    public void MalformedResponsesAreRefusedWithAReason()
    {
        Assert.That(FcpResponse.TryRead(GoldenWriteProtected.AsSpan(0, 23), out _, out string? reason), Is.False);
        Assert.That(reason, Does.Contain("shorter than 24"));
        Assert.That(FcpResponse.TryRead(GoldenWriteProtected.AsSpan(0, 30), out _, out reason), Is.False);
        Assert.That(reason, Does.Contain("truncated"));
        byte[] both = (byte[])GoldenWriteProtected.Clone();
        both[10] |= 0x04;
        Assert.That(FcpResponse.TryRead(both, out _, out reason), Is.False);
        Assert.That(reason, Does.Contain("both"));
        Assert.That(new FcpResponse(0, 0, true, true, null).TryWrite(new byte[24]), Is.False, "both residual flags");
    }

    [Test]
    public void TheNamedSenseValuesAreTheArchitecturesOnes()
    {
        Assert.That(SenseData.LbaOutOfRange.ToString(), Is.EqualTo("05/21/00"));
        Assert.That(SenseData.InvalidFieldInCdb.ToString(), Is.EqualTo("05/24/00"));
        Assert.That(SenseData.LogicalUnitNotSupported.ToString(), Is.EqualTo("05/25/00"));
        Assert.That(SenseData.WriteProtected.ToString(), Is.EqualTo("07/27/00"));
    }

    [Test]
    public void TransferReadyRoundTripsAndRefusesAnEmptyBurst()
    {
        FcpTransferReady ready = new(8192, 4096);
        byte[] iu = new byte[FcpTransferReady.Length];
        Assert.That(ready.TryWrite(iu), Is.True);
        Assert.That(Convert.ToHexString(iu), Is.EqualTo("000020000000100000000000"));
        Assert.That(FcpTransferReady.TryRead(iu, out FcpTransferReady read), Is.True);
        Assert.That(read, Is.EqualTo(ready));
        Assert.That(new FcpTransferReady(0, 0).TryWrite(iu), Is.False, "a burst of nothing");
        Assert.That(FcpTransferReady.TryRead(iu.AsSpan(0, 11), out _), Is.False, "truncated");
    }
}
