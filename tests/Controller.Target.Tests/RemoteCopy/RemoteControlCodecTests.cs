// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Target.RemoteCopy;

namespace Controller.Target.Tests.RemoteCopy;

/// <summary>RC PAIR CONTROL parameter lists: every message kind round-trips, and no byte string makes the decoder throw.</summary>
public sealed class RemoteControlCodecTests
{
    private static readonly PairAddress s_pair = new(VolumeAddress.Parse("0x400104, 0x0003"), VolumeAddress.Parse("0x421014, 0x0004"));
    private static readonly PairAddress[] s_members = [new(VolumeAddress.Parse("0x421014, 0x0002"), VolumeAddress.Parse("0x421014, 0x0004")), s_pair];

    public static IEnumerable<TestCaseData> Messages()
    {
        SplitIdentity split = new(1, 7);
        DateTimeOffset time = DateTimeOffset.UnixEpoch.AddTicks(17_000_000_000_000_000);
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.Create, s_pair) { Fence = FenceLevel.Data, BlockCount = 4096, TrackSizeBytes = 65536 }).SetName("create");
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.Create, s_pair) { BlockCount = 2048, TrackSizeBytes = 65536, Split = split, NoCopyOrigin = VolumeAddress.Parse("0x400104, 0x0001") }).SetName("no-copy create");
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.SetState, s_pair) { State = PairState.Psus, SplitMode = SplitMode.ReadWrite }).SetName("set state");
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.Delete, s_pair)).SetName("delete");
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.NameMirrors, default) { MirrorName = "AUXSET1", Members = s_members }).SetName("name mirrors");
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.SplitPrepare, default) { Split = split, Mechanism = AtomicSplitMechanism.SequenceCut, HoldTimeout = TimeSpan.FromSeconds(5), Members = s_members }).SetName("split prepare");
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.SplitCommit, default) { Split = split, Mechanism = AtomicSplitMechanism.Freeze, SplitMode = SplitMode.ReadWrite, HoldTimeout = TimeSpan.FromSeconds(5), SplitTime = time, Members = s_members }).SetName("split commit");
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.SplitAbort, default) { Split = split, Mechanism = AtomicSplitMechanism.Freeze }).SetName("split abort");
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.SplitConfirm, default) { Split = split, Mechanism = AtomicSplitMechanism.SequenceCut }).SetName("split confirm");
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.Create, s_pair) { BlockCount = 4096, TrackSizeBytes = 65536, Determining = true }).SetName("create determining");
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.PairCommand, s_pair) { Operation = PairOperation.SwapResync, BlockCount = 4096, TrackSizeBytes = 65536 }).SetName("pair command swap resync");
        yield return new TestCaseData(new RemoteControl(RemoteControlKind.PairCommand, s_pair) { Operation = PairOperation.Split, SplitMode = SplitMode.ReadWrite }).SetName("pair command split");
    }

    [TestCaseSource(nameof(Messages))]
    public void EveryKindRoundTrips(RemoteControl message)
    {
        byte[] list = RemoteControlCodec.Encode(message);
        Assert.That(RemoteControlCodec.TryDecode(list, out RemoteControl decoded, out string? reason), Is.True, reason);
        Assert.That(decoded.Kind, Is.EqualTo(message.Kind));
        Assert.That(decoded.Pair, Is.EqualTo(message.Pair));
        Assert.That(decoded.Members, Is.EqualTo(message.Members));
        Assert.That(decoded.MirrorName, Is.EqualTo(message.MirrorName));
        Assert.That(decoded.Split, Is.EqualTo(message.Split));
        Assert.That(decoded.NoCopyOrigin, Is.EqualTo(message.NoCopyOrigin));
        Assert.That(decoded.SplitMode, Is.EqualTo(message.SplitMode));
        Assert.That(decoded.Fence, Is.EqualTo(message.Fence));
        Assert.That(decoded.BlockCount, Is.EqualTo(message.BlockCount));
        Assert.That(decoded.Operation, Is.EqualTo(message.Operation));
        Assert.That(decoded.Determining, Is.EqualTo(message.Determining));
        if (message.Kind.IsSplitMessage())
        {
            Assert.That(decoded.Mechanism, Is.EqualTo(message.Mechanism));
            Assert.That(decoded.HoldTimeout, Is.EqualTo(message.HoldTimeout));
            Assert.That(decoded.SplitTime, Is.EqualTo(message.SplitTime));
        }
    }

    [TestCase(RemoteControlKind.PairCommand, (byte)PairOperation.Create, 0, "operation 0")]
    [TestCase(RemoteControlKind.PairCommand, (byte)9, 0, "operation 9")]
    [TestCase(RemoteControlKind.SetState, (byte)PairOperation.Split, 0, "operation 1")]
    [TestCase(RemoteControlKind.Delete, (byte)0, 1, "flags 0x01")]
    [TestCase(RemoteControlKind.Create, (byte)0, 2, "flags 0x02")]
    public void AnOperationOrFlagOutOfPlaceIsRefused(RemoteControlKind kind, byte operation, int flags, string named)
    {
        byte[] list = RemoteControlCodec.Encode(new RemoteControl(kind, s_pair) { BlockCount = 4096, TrackSizeBytes = 65536 });
        list[28] = operation;
        list[29] = (byte)flags;
        Assert.That(RemoteControlCodec.TryDecode(list, out _, out string? reason), Is.False);
        Assert.That(reason, Does.Contain(named));
    }

    [Test]
    public void NoByteStringMakesTheDecoderThrow([Range(0, 3)] int run)
    {
        Random random = new(run);
        byte[][] valid = [.. Messages().Select(c => RemoteControlCodec.Encode((RemoteControl)c.Arguments[0]!))];
        int accepted = 0;
        for (int i = 0; i < 5_000; i++)
        {
            byte[] list = (byte[])valid[random.Next(valid.Length)].Clone();
            int flips = 1 + random.Next(4);
            for (int f = 0; f < flips; f++)
            {
                list[random.Next(list.Length)] = (byte)random.Next(256);
            }

            byte[] input = random.Next(8) == 0 ? list[..random.Next(list.Length)] : list;
            if (RemoteControlCodec.TryDecode(input, out _, out string? reason))
            {
                accepted++;
            }
            else
            {
                Assert.That(reason, Is.Not.Null.And.Not.Empty, "a refusal says why");
            }
        }

        Assert.That(accepted, Is.GreaterThan(0), "some mutations are still valid messages");
    }
}
