// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Wire.CopyManagement;
using Controller.Wire.RemoteCopy;

namespace Controller.Target.RemoteCopy;

/// <summary>
/// A <see cref="RemoteControl"/> as the parameter list of RC PAIR CONTROL and back (docs/remote-copy.md): the 32-byte
/// header, then for a name its name block and pair list, for a split message its split block and pair list, for a
/// no-copy create a split block naming the origin. The primary's path encodes, the secondary's port front decodes.
/// </summary>
internal static class RemoteControlCodec
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    /// <summary>Encodes a message (not a resync, which is RC RESYNC).</summary>
    /// <param name="request">The message.</param>
    /// <returns>The parameter list.</returns>
    public static byte[] Encode(RemoteControl request)
    {
        bool splitBlock = request.Kind.IsSplitMessage() || request.NoCopyOrigin is not null;
        WirePair[] members = new WirePair[request.Members.Count];
        for (int i = 0; i < members.Length; i++)
        {
            members[i] = new WirePair(Wire(request.Members[i].PVol), Wire(request.Members[i].SVol));
        }

        bool pairList = request.Kind is RemoteControlKind.NameMirrors || request.Kind.IsSplitMessage();
        int nameLength = request.Kind == RemoteControlKind.NameMirrors ? MirrorNameBlock.GetEncodedLength(request.MirrorName!.Length) : 0;
        int length = PairControlParameters.Length + (splitBlock ? SplitBlock.Length : 0) + nameLength + (pairList ? PairList.GetEncodedLength(members.Length) : 0);
        byte[] list = new byte[length];
        new PairControlParameters(
            (byte)request.Kind,
            (byte)request.State,
            request.SplitMode == SplitMode.ReadWrite ? (byte)1 : (byte)0,
            (byte)request.Fence,
            Wire(request.Pair.PVol),
            Wire(request.Pair.SVol),
            request.BlockCount,
            request.TrackSizeBytes)
        {
            Operation = request.Kind == RemoteControlKind.PairCommand ? (byte)request.Operation : (byte)0,
            Flags = request.Determining ? PairControlParameters.DeterminingFlag : (byte)0,
        }.Write(list);
        int at = PairControlParameters.Length;
        if (splitBlock)
        {
            new SplitBlock(
                request.Split.Serial,
                request.Split.SplitId,
                (byte)(request.Kind.IsSplitMessage() ? (int)request.Mechanism + 1 : 0),
                request.SplitMode == SplitMode.ReadWrite ? (byte)1 : (byte)0,
                (uint)Math.Min(request.HoldTimeout.TotalMilliseconds, uint.MaxValue),
                request.SplitTime == default ? 0 : (request.SplitTime - Epoch).Ticks * 100,
                request.NoCopyOrigin is VolumeAddress origin ? Wire(origin) : null).Write(list.AsSpan(at));
            at += SplitBlock.Length;
        }

        if (nameLength > 0)
        {
            MirrorNameBlock.TryWrite(request.MirrorName, list.AsSpan(at), out int written, out _);
            at += written;
        }

        if (pairList)
        {
            PairList.TryWrite(members, list.AsSpan(at), out _, out _);
        }

        return list;
    }

    /// <summary>Decodes a parameter list.</summary>
    /// <param name="list">The data-out bytes.</param>
    /// <param name="request">The message.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False for a malformed header or tail, an unknown kind, state, mode or fence.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> list, out RemoteControl request, out string? reason)
    {
        request = null!;
        if (!PairControlParameters.TryRead(list, out PairControlParameters header, out reason))
        {
            return false;
        }

        RemoteControlKind kind = (RemoteControlKind)header.Kind;
        if (kind is not (RemoteControlKind.Create or RemoteControlKind.SetState or RemoteControlKind.Delete or RemoteControlKind.NameMirrors or RemoteControlKind.PairCommand) && !kind.IsSplitMessage()
            || header.State > (byte)PairState.Rcpy || header.Fence > (byte)FenceLevel.Data || header.SplitMode > 1)
        {
            reason = "RC PAIR CONTROL: kind " + header.Kind + ", state " + header.State + ", split mode " + header.SplitMode + " or fence " + header.Fence + " is not one this controller knows";
            return false;
        }

        // OPERATION only in a pair command (and never a create: a pair is created at its primary); FLAGS only in a create.
        if ((kind == RemoteControlKind.PairCommand ? header.Operation is > (byte)PairOperation.SplitProtectPVol or (byte)PairOperation.Create or (byte)PairOperation.CreateNoCopy : header.Operation != 0)
            || header.Flags > (kind == RemoteControlKind.Create ? PairControlParameters.DeterminingFlag : 0))
        {
            reason = "RC PAIR CONTROL: operation " + header.Operation + " or flags 0x" + header.Flags.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + " is not allowed in a kind " + header.Kind + " message";
            return false;
        }

        ReadOnlySpan<byte> tail = list[PairControlParameters.Length..];
        SplitBlock split = default;
        bool hasSplitBlock = kind.IsSplitMessage() || (kind == RemoteControlKind.Create && tail.Length > 0);
        if (hasSplitBlock)
        {
            if (!SplitBlock.TryRead(tail, out split, out reason))
            {
                reason = "RC PAIR CONTROL: " + reason;
                return false;
            }

            // Any 64-bit nanosecond count is within 1677-2262: the split time always converts.
            tail = tail[SplitBlock.Length..];
        }

        string? name = null;
        if (kind == RemoteControlKind.NameMirrors)
        {
            if (!MirrorNameBlock.TryRead(tail, out name, out int consumed, out CopyManagementError nameError))
            {
                reason = "RC PAIR CONTROL: " + nameError.Reason;
                return false;
            }

            tail = tail[consumed..];
        }

        PairAddress[] members = [];
        if (kind == RemoteControlKind.NameMirrors || kind.IsSplitMessage())
        {
            if (!PairList.TryRead(tail, out PairListView pairs, out CopyManagementError listError))
            {
                reason = "RC PAIR CONTROL: " + listError.Reason;
                return false;
            }

            members = new PairAddress[pairs.Count];
            for (int i = 0; i < members.Length; i++)
            {
                members[i] = new PairAddress(Address(pairs[i].PVol), Address(pairs[i].SVol));
            }
        }
        else if (tail.Length > 0)
        {
            reason = "RC PAIR CONTROL: " + tail.Length + " bytes follow a kind " + header.Kind + " header, which takes none";
            return false;
        }

        request = new RemoteControl(kind, new PairAddress(Address(header.PVol), Address(header.SVol)))
        {
            State = (PairState)header.State,
            SplitMode = header.SplitMode == 1 || split.SplitMode == 1 ? SplitMode.ReadWrite : SplitMode.ReadOnly,
            Fence = (FenceLevel)header.Fence,
            BlockCount = header.BlockCount,
            TrackSizeBytes = header.TrackSizeBytes,
            MirrorName = name,
            Members = members,
            Split = new SplitIdentity(split.Serial, split.SplitId),
            Mechanism = split.Mechanism == 2 ? AtomicSplitMechanism.SequenceCut : AtomicSplitMechanism.Freeze,
            HoldTimeout = TimeSpan.FromMilliseconds(split.HoldTimeoutMilliseconds),
            SplitTime = split.SplitTimeNanoseconds == 0 ? default : Epoch.AddTicks(split.SplitTimeNanoseconds / 100),
            NoCopyOrigin = split.Origin is WireVolumeId origin ? Address(origin) : null,
            Operation = (PairOperation)header.Operation,
            Determining = (header.Flags & PairControlParameters.DeterminingFlag) != 0,
        };
        return true;
    }

    private static WireVolumeId Wire(VolumeAddress address)
    {
        return new WireVolumeId(address);
    }

    private static VolumeAddress Address(WireVolumeId volume)
    {
        return volume.ToVolumeAddress();
    }
}
