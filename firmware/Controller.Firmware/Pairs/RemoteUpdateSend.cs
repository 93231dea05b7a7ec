// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.Pairs;

/// <summary>
/// One update copy in flight at the primary (pooled): joins the link's answer back into the origin write's fan-in.
/// Good releases the fan-in, so the host write is acknowledged only after the S-VOL (and its cascades) have it. A
/// failure marks the write's tracks in the P-side bitmap (the resync sends them), suspends the pair (PSUE) and, with
/// fence level data, answers the host write with an error.
/// </summary>
internal sealed class RemoteUpdateSend : IRemoteUpdateCompletion
{
    private readonly ObjectPool<RemoteUpdateSend> _pool;
    private CopyManagementTable? _table;
    private MirrorPair? _pair;
    private WriteFanIn? _fanIn;
    private long _lba;
    private long _blocks;
    private bool _copiedTrack;

    public RemoteUpdateSend(ObjectPool<RemoteUpdateSend> pool)
    {
        _pool = pool;
    }

    public void Arm(CopyManagementTable table, MirrorPair pair, WriteFanIn fanIn, long lba, long blocks, bool copiedTrack)
    {
        _table = table;
        _pair = pair;
        _fanIn = fanIn;
        _lba = lba;
        _blocks = blocks;
        _copiedTrack = copiedTrack;
    }

    public void Completed(RemoteStatus status, PairErrorCode error)
    {
        CopyManagementTable table = _table!;
        MirrorPair pair = _pair!;
        WriteFanIn fanIn = _fanIn!;
        long lba = _lba;
        long blocks = _blocks;
        bool copiedTrack = _copiedTrack;
        _table = null;
        _pair = null;
        _fanIn = null;
        _pool.Return(this);
        if (status != RemoteStatus.Good)
        {
            // Whether the peer has it is unknown: the track is owed to the S-VOL either way.
            pair.PVolBitmap.MarkWrite(lba, blocks);
            if (!copiedTrack && pair.Fence == FenceLevel.Data)
            {
                fanIn.Fail(MediaStatus.Fenced);
            }

            table.SuspendOnFault(pair, status == RemoteStatus.LinkDown ? PairEventCause.LinkDown : PairEventCause.PeerRefused);
        }

        fanIn.Release();
    }

    public static ObjectPool<RemoteUpdateSend> CreatePool(int maximumRetained)
    {
        Policy policy = new();
        DefaultObjectPool<RemoteUpdateSend> pool = new(policy, maximumRetained);
        policy.Pool = pool;
        return pool;
    }

    private sealed class Policy : IPooledObjectPolicy<RemoteUpdateSend>
    {
        public ObjectPool<RemoteUpdateSend>? Pool { get; set; }

        public RemoteUpdateSend Create()
        {
            return new RemoteUpdateSend(Pool!);
        }

        public bool Return(RemoteUpdateSend obj)
        {
            return true;
        }
    }
}
