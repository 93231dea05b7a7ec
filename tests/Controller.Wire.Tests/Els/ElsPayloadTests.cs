// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Wire.Els;

namespace Controller.Wire.Tests.Els;

[Category("Standards")]
public sealed class ElsPayloadTests
{
    [Test]
    public void APortLoginCarriesValidCommonAndClassThreeServiceParametersByteForByte()
    {
        byte[] payload = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(payload, ElsCommand.LinkServiceAccept, 0x300043544C400104, 0x300043544C000000);
        string expected =
            "02000000"
            + "20200010" + "80000840" + "00FF0002" + "000007D0"
            + "300043544C400104" + "300043544C000000"
            + new string('0', 64)
            + "88000000" + "00000840" + "00FF0000" + "00010000"
            + new string('0', 64);
        Assert.That(Convert.ToHexString(payload), Is.EqualTo(expected), "LS_ACC; common: FC-PH 0x20-0x20, BB credit 16, continuously increasing offset, 2112 bytes, 255 concurrent sequences, RO for solicited data, E_D_TOV 2000 ms; names; classes 1 and 2 not valid; class 3 valid with sequential delivery, 2112 bytes, 255 concurrent sequences, 1 open sequence per exchange; class 4 and vendor version zero");
    }

    [TestCase(10, 0, ElsPayload.ExplanationReceiveDataFieldSize)]
    [TestCase(10, 255, ElsPayload.ExplanationReceiveDataFieldSize)]
    [TestCase(10, 258, ElsPayload.ExplanationReceiveDataFieldSize)]
    [TestCase(10, 2116, ElsPayload.ExplanationReceiveDataFieldSize)]
    [TestCase(74, 0, ElsPayload.ExplanationReceiveDataFieldSize)]
    [TestCase(68, 0x0800, ElsPayload.ExplanationClassOptions)]
    public void AnInvalidServiceParameterIsRefusedWithItsExplanation(int offset, int value, byte explanation)
    {
        byte[] payload = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(payload, ElsCommand.PortLogin, 1, 2);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(offset), (ushort)value);
        Assert.Multiple(() =>
        {
            Assert.That(ElsPayload.TryCheckPortLoginParameters(payload, out byte actual, out string? reason), Is.False, "refused");
            Assert.That(actual, Is.EqualTo(explanation), "the LS_RJT explanation: " + reason);
        });
    }

    [TestCase(256)]
    [TestCase(1024)]
    [TestCase(2112)]
    public void AValidReceiveDataFieldSizeIsTaken(int size)
    {
        byte[] payload = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(payload, ElsCommand.PortLogin, 1, 2);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(10), (ushort)size);
        Assert.That(ElsPayload.TryCheckPortLoginParameters(payload, out _, out string? reason), Is.True, reason);
    }

    [Test]
    public void AShortPortLoginIsRefusedAsInvalidCommonServiceParameters()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ElsPayload.TryCheckPortLoginParameters(new byte[40], out byte explanation, out _), Is.False);
            Assert.That(explanation, Is.EqualTo(ElsPayload.ExplanationCommonServiceParameters));
        });
    }
}
