// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Wire.CopyManagement;

namespace Controller.Wire.Tests.CopyManagement;

public sealed class PairListTests
{
    private static readonly WirePair[] Fig7Pairs =
    [
        new(new WireVolumeId(new PortId(0x400104), 0x0001), new WireVolumeId(new PortId(0x400104), 0x0002)),
        new(new WireVolumeId(new PortId(0x400104), 0x0004), new WireVolumeId(new PortId(0x421014), 0x0005)),
    ];

    [TestCase(0, 4)]
    [TestCase(1, 20)]
    [TestCase(2, 36)]
    [TestCase(PairList.MaxPairs, PairList.MaxLength)]
    public void TheEncodedLengthIsTheHeaderAndSixteenBytesAPair(int pairs, int length)
    {
        Assert.That(PairList.GetEncodedLength(pairs), Is.EqualTo(length), pairs + " pairs");
    }

    [Test]
    public void ACountTheHeaderCannotCarryHasNoLength()
    {
        Assert.That(() => PairList.GetEncodedLength(-1), Throws.InstanceOf<ArgumentOutOfRangeException>(), "a negative count");
        Assert.That(() => PairList.GetEncodedLength(PairList.MaxPairs + 1), Throws.InstanceOf<ArgumentOutOfRangeException>(), "65536 pairs do not fit two bytes");
    }

    [Test]
    public void TheViewReadsThePairsInOrderByIndexEnumerationAndCopy()
    {
        byte[] list = new byte[PairList.GetEncodedLength(Fig7Pairs.Length)];
        Assert.That(PairList.TryWrite(Fig7Pairs, list, out int written, out string? reason), Is.True, reason);
        Assert.That(written, Is.EqualTo(36), "two pairs");

        Assert.That(PairList.TryRead(list, out PairListView view, out CopyManagementError error), Is.True, error.ToString());
        Assert.That(view.Count, Is.EqualTo(2), "two descriptors");
        Assert.That(view[0], Is.EqualTo(Fig7Pairs[0]), "by index");
        Assert.That(view[1], Is.EqualTo(Fig7Pairs[1]), "by index");
        List<WirePair> enumerated = [];
        foreach (WirePair pair in view)
        {
            enumerated.Add(pair);
        }

        Assert.That(enumerated, Is.EqualTo(Fig7Pairs), "by enumeration");
        Assert.That(view.ToArray(), Is.EqualTo(Fig7Pairs), "by copy to an array");
        List<WirePair> appended = [Fig7Pairs[1]];
        view.AddTo(appended);
        Assert.That(appended, Is.EqualTo(new[] { Fig7Pairs[1], Fig7Pairs[0], Fig7Pairs[1] }), "appended after what the list held");
    }

    [TestCase("0001000000400104000100000042101400050000", 0x400104u, 0x421014u)]
    [TestCase("00010000000000000000000000FFFFFFFFFF0000", 0x000000u, 0xFFFFFFu)]
    [TestCase("000100000080000112340000000A0B0C56780000", 0x800001u, 0x0A0B0Cu)]
    public void TheThreeBytesOfAVolumesPortIdDecodeIntoItsPortId(string hex, uint pVol, uint sVol)
    {
        // A descriptor's volume: reserved (0), port ID (3 bytes, domain first), LUN (2), reserved (2).
        byte[] list = Convert.FromHexString(hex);
        Assert.That(PairList.TryRead(list, out PairListView view, out CopyManagementError error), Is.True, error.ToString());
        WirePair pair = view[0];
        Assert.Multiple(() =>
        {
            Assert.That(pair.PVol.PortId, Is.EqualTo(new PortId(pVol)), "P-VOL port ID");
            Assert.That((pair.PVol.PortId.Domain, pair.PVol.PortId.Area, pair.PVol.PortId.Port), Is.EqualTo((list[5], list[6], list[7])), "P-VOL domain, area, port");
            Assert.That(pair.SVol.PortId, Is.EqualTo(new PortId(sVol)), "S-VOL port ID");
            Assert.That((pair.SVol.PortId.Domain, pair.SVol.PortId.Area, pair.SVol.PortId.Port), Is.EqualTo((list[13], list[14], list[15])), "S-VOL domain, area, port");
        });
        byte[] again = new byte[list.Length];
        Assert.That(PairList.TryWrite([pair], again, out _, out string? reason), Is.True, reason);
        Assert.That(Convert.ToHexString(again), Is.EqualTo(hex), "and the port IDs encode back to the same three bytes");
    }

    [Test]
    public void AnIndexOutsideTheListThrows()
    {
        byte[] list = new byte[PairList.GetEncodedLength(2)];
        Assert.That(PairList.TryWrite(Fig7Pairs, list, out _, out string? reason), Is.True, reason);
        Assert.That(() => PairList.TryRead(list, out PairListView view, out _) ? view[2] : default, Throws.InstanceOf<ArgumentOutOfRangeException>(), "index 2 of 2");
        Assert.That(() => PairList.TryRead(list, out PairListView view, out _) ? view[-1] : default, Throws.InstanceOf<ArgumentOutOfRangeException>(), "index -1");
    }

    [Test]
    public void AnEmptyListDecodesToNoPairs()
    {
        Assert.That(PairList.TryRead(new byte[4], out PairListView view, out CopyManagementError error), Is.True, error.ToString());
        Assert.That(view.Count, Is.Zero, "n = 0 is a valid list; whether the command allows it is the command's rule");
        Assert.That(view.ToArray(), Is.Empty, "no pairs");
    }

    [Test]
    public void EnumeratingADecodedListDoesNotAllocate()
    {
        WirePair[] pairs = new WirePair[1000];
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new WirePair(new WireVolumeId(new PortId(0x400104), (ushort)i), new WireVolumeId(new PortId(0x400104), (ushort)(i + 1000)));
        }

        byte[] list = new byte[PairList.GetEncodedLength(pairs.Length)];
        Assert.That(PairList.TryWrite(pairs, list, out _, out string? reason), Is.True, reason);

        // Once to warm up (JIT, statics), then measured.
        long sum = SumLuns(list);
        long before = GC.GetAllocatedBytesForCurrentThread();
        sum += SumLuns(list);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero, "decoding and enumerating 1000 pairs allocates nothing");
        Assert.That(sum, Is.EqualTo(2 * 1000L * 1999), "every pair was read");
    }

    [Test]
    public void AListThatCannotBeEncodedIsRefusedAndNothingIsWritten()
    {
        AssertRefused(Fig7Pairs, 35, "needs 36 bytes, the buffer has 35");
        AssertRefused(new WirePair[PairList.MaxPairs + 1], 64, "at most 65535 pairs, not 65536");
    }

    private static long SumLuns(byte[] list)
    {
        long sum = 0;
        if (PairList.TryRead(list, out PairListView view, out _))
        {
            foreach (WirePair pair in view)
            {
                sum += pair.PVol.Lun + pair.SVol.Lun;
            }
        }

        return sum;
    }

    private static void AssertRefused(WirePair[] pairs, int bufferLength, string reasonPart)
    {
        byte[] buffer = new byte[bufferLength];
        Assert.That(PairList.TryWrite(pairs, buffer, out int written, out string? reason), Is.False, "the list is refused");
        Assert.That(reason, Does.Contain(reasonPart), "the reason names the problem");
        Assert.That(written, Is.Zero, "nothing counted as written");
        Assert.That(buffer, Is.All.Zero, "a refused list writes nothing");
    }
}
