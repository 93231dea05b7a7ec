// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.RemoteCopy;

/// <summary>
/// Seed 000 FIG 3 on two subsystems: the production remote mirror LV1 (SS1) -> LV2 (SS2), the local mirrors
/// LV1 -> LV3 in SS1 and LV2 -> LV4 in SS2 (a cascade), all in PAIR, the set named "AUXSET1". A dependent write
/// chain on LV1 (write k is issued only after write k-1 was answered; block k mod N carries stamp k) runs
/// through the split, so every image must hold exactly a prefix of the chain.
/// </summary>
internal sealed class AuxiliarySystemRig : IBlockCommandCompletion, IDisposable
{
    public const long Blocks = 1024;
    public const string SetName = "AUXSET1";
    private const int ChainBlocks = 256;

    private int _issued;
    private int _limit;

    public AuxiliarySystemRig(ulong seed)
    {
        Rig = new TwoSubsystemRig(seed);
        Lv1 = Rig.Volume1(1, Blocks);
        Lv3 = Rig.Volume1(3, Blocks);
        Lv2 = Rig.Volume2(2, Blocks);
        Lv4 = Rig.Volume2(4, Blocks);
        Assert.That(Rig.CreateRemote(1, 2).Succeeded, Is.True);
        Rig.Scheduler.RunUntilIdle();
        Assert.That(Rig.Ss1.Pairs.Create(TwoSubsystemRig.At1(1), Lv1, TwoSubsystemRig.At1(3), Lv3).Succeeded, Is.True);

        // Claim 1's order: LV2 -> LV4 only once LV1 -> LV2 is in PAIR.
        Assert.That(Rig.Primary(1, 2).State, Is.EqualTo(PairState.Pair));
        Assert.That(Rig.Ss2.Pairs.Create(TwoSubsystemRig.At2(2), Lv2, TwoSubsystemRig.At2(4), Lv4).Succeeded, Is.True);
        Rig.Scheduler.RunUntilIdle();
        Task<MirrorNameResponse> named = Rig.Ss1.Pairs.NameMirrorsAsync(SetName, [Local, Cascade]);
        while (!named.IsCompleted && Rig.Scheduler.RunOne())
        {
        }

        Assert.That(named.Result.Succeeded, Is.True, named.Result.Message);
    }

    public TwoSubsystemRig Rig { get; }

    public Ldev Lv1 { get; }

    public Ldev Lv2 { get; }

    public Ldev Lv3 { get; }

    public Ldev Lv4 { get; }

    /// <summary>Gets LV1 -> LV3, the local member in SS1.</summary>
    public static PairAddress Local => new(TwoSubsystemRig.At1(1), TwoSubsystemRig.At1(3));

    /// <summary>Gets LV2 -> LV4, the member in SS2 (fed by the production stream).</summary>
    public static PairAddress Cascade => new(TwoSubsystemRig.At2(2), TwoSubsystemRig.At2(4));

    /// <summary>Gets the number of chain writes answered so far.</summary>
    public int Answered { get; private set; }

    /// <summary>Gets the number of chain writes answered with an error.</summary>
    public int Failed { get; private set; }

    /// <summary>Starts the chain: up to <paramref name="writes"/> writes, one after another.</summary>
    public void StartChain(int writes)
    {
        _limit = writes;
        IssueNext();
    }

    public void Complete(in BlockCommand command, MediaStatus status)
    {
        Answered++;
        if (status != MediaStatus.Good)
        {
            Failed++;
        }

        IssueNext();
    }

    /// <summary>
    /// The chain writes a volume holds: the largest k such that writes 1..k are all there (block k mod N stamped k,
    /// unless a later write replaced it), and whether what it holds is exactly that prefix.
    /// </summary>
    public int PrefixOf(Ldev volume, out bool exact)
    {
        int[] present = new int[ChainBlocks];
        byte[] block = new byte[TrackGeometry.BlockSize];
        for (int b = 0; b < ChainBlocks; b++)
        {
            Assert.That(volume.Media.Read(b, block), Is.EqualTo(MediaStatus.Good));
            present[b] = BitConverter.ToInt32(block);
        }

        // The image holds writes 1..k iff block b carries the last write to it at or below k.
        int best = -1;
        for (int k = 0; k <= Answered + 1 && k <= _issued; k++)
        {
            bool match = true;
            for (int b = 0; b < ChainBlocks && match; b++)
            {
                int expected = k < b + 1 ? 0 : b + 1 + ((k - (b + 1)) / ChainBlocks * ChainBlocks);
                match = present[b] == expected;
            }

            if (match)
            {
                best = k;
            }
        }

        exact = best >= 0;
        return best;
    }

    public void Dispose()
    {
        Rig.Dispose();
    }

    private void IssueNext()
    {
        if (_issued >= _limit)
        {
            return;
        }

        _issued++;
        byte[] data = new byte[TrackGeometry.BlockSize];
        BitConverter.TryWriteBytes(data, _issued);
        BlockCommand write = new(BlockCommandKind.Write, Lv1, (_issued - 1) % ChainBlocks, new ArraySegment<byte>(data), this, _issued);
        Assert.That(Rig.Ss1.TrySubmit(write), Is.True, "the chain has one write in flight");
    }
}
