// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The mirror target of a remote S-VOL's stand-in at the primary: each mirror write or copied track the stand-in's
/// MP takes leaves as an update copy over the pair's path, in the order the MP took them, and its answer comes back
/// into the origin write's fan-in through a pooled <see cref="RemoteUpdateSend"/>.
/// </summary>
internal sealed class RemoteMirrorTarget : IMirrorTarget
{
    private readonly CopyManagementTable _table;
    private readonly RemoteVolume _far;

    /// <summary>Initializes the target of one stand-in.</summary>
    /// <param name="table">The primary's table (its pool of update sends, its fault path).</param>
    /// <param name="far">The stand-in's media: the far volume's address and the path to it.</param>
    public RemoteMirrorTarget(CopyManagementTable table, RemoteVolume far)
    {
        ArgumentNullException.ThrowIfNull(far.Path);
        _table = table;
        _far = far;
    }

    /// <inheritdoc/>
    public void Write(in BlockCommand write)
    {
        MirrorPair pair = (MirrorPair)write.Relation!;
        RemoteUpdateSend send = _table.RentUpdateSend();
        send.Arm(_table, pair, (WriteFanIn)write.Completion, write.Lba, write.Buffer.Count / TrackGeometry.BlockSize, write.Kind == BlockCommandKind.CopyWrite);

        // Under a cross-subsystem sequence cut the update says which side of the coordinator's point it is.
        bool beyondCut = pair.StreamCut is SplitCut cut && !cut.Includes(write.Sequence);
        _far.Path!.SendUpdate(new RemoteUpdate(_far.Address, write.Lba, write.Buffer, write.Sequence, beyondCut), send);
    }
}
