// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Volumes;
using Controller.Target.RemoteCopy;
using Controller.Wire;
using Controller.Wire.CopyManagement;
using Controller.Wire.RemoteCopy;

namespace Controller.Target.Scsi;

/// <summary>
/// The secondary's end of the remote-copy link (docs/remote-copy.md): RC UPDATE COPY, RC PAIR CONTROL and RC RESYNC
/// from a configured peer, decoded and handed to the Copy Management Table. Volumes are found by the port map, not
/// by host groups: the link is not a host. Update copies are the data path (no allocation); the rest is control.
/// </summary>
internal sealed class RemoteCopyCommands
{
    private readonly ControllerFrontEnd _frontEnd;

    // Bitmaps a control answer set aside for the RC READ BITMAP that fetches them, by peer and pair.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(PortId Peer, PairAddress Pair), byte[]> _bitmaps = new();

    public RemoteCopyCommands(ControllerFrontEnd frontEnd)
    {
        _frontEnd = frontEnd;
    }

    /// <summary>An RC command has arrived (the reader).</summary>
    public void Execute(ScsiExchange exchange)
    {
        Login login = exchange.Login!;
        TargetConnection connection = exchange.Connection;
        byte opcode = exchange.Cdb[0];
        PortId initiator = login.Initiator;
        if (opcode == RemoteCopyOpcode.Authenticate && connection.PeerGate.IsConfigured(initiator))
        {
            Authenticate(exchange, connection);
            return;
        }

        if (!connection.IsRemoteCopyPeer)
        {
            // An initiator that is no peer is told the command does not exist here; a peer that has not proved itself
            // (or connects from elsewhere) is told it is not authorized, and the refusal is logged with the reason.
            string why = connection.PeerGate.WhyNot(initiator) ?? "it is not a remote-copy peer of this subsystem";
            exchange.Refuse(connection.PeerGate.IsConfigured(initiator) ? ScsiSense.AccessNotAuthorized : ScsiSense.InvalidOpcode, RemoteCopyOpcode.GetName(opcode) + " from " + login.Initiator + " refused: " + why);
            return;
        }

        switch (opcode)
        {
            case RemoteCopyOpcode.UpdateCopy:
                StartUpdate(exchange);
                break;
            case RemoteCopyOpcode.PairControl:
                if (!PairControlParameters.TryCheckCdb(exchange.Cdb, out string? reason))
                {
                    exchange.Refuse(SenseData.InvalidFieldInCdb, reason!);
                    return;
                }

                exchange.RequestData(PairControlParameters.ListLengthOf(exchange.Cdb));
                break;
            case RemoteCopyOpcode.ReadBitmap:
                ReadBitmap(exchange);
                break;
            default:
                Resync(exchange);
                break;
        }
    }

    /// <summary>An RC command's data has arrived (the reader).</summary>
    public void OnDataOut(ScsiExchange exchange)
    {
        if (exchange.Cdb[0] == RemoteCopyOpcode.Authenticate)
        {
            CheckAuthenticationResponse(exchange);
            return;
        }

        if (exchange.Cdb[0] == RemoteCopyOpcode.UpdateCopy)
        {
            SubmitUpdate(exchange);
        }
        else
        {
            PairControl(exchange);
        }
    }

    // RC AUTHENTICATE (docs/remote-copy.md, "Peer authentication"): step 1 hands out this connection's challenge,
    // step 2 (data-out) carries the answer.
    private static void Authenticate(ScsiExchange exchange, TargetConnection connection)
    {
        if (!RemoteCopyAuthentication.TryReadCdb(exchange.Cdb, out byte step, out string? reason))
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, reason!);
            return;
        }

        if (step == RemoteCopyAuthentication.ResponseStep)
        {
            exchange.RequestData(RemoteCopyAuthentication.ResponseLength);
            return;
        }

        byte[] challenge = connection.PeerGate.NewChallenge();
        int length = Math.Min(challenge.Length, exchange.DataLength);
        challenge.AsSpan(0, length).CopyTo(exchange.RentData(length));
        exchange.RespondWithData(length);
    }

    private static void CheckAuthenticationResponse(ScsiExchange exchange)
    {
        TargetConnection connection = exchange.Connection;
        if (!connection.PeerGate.TryAuthenticate(exchange.InitiatorId, exchange.TargetId, exchange.Data.AsSpan(0, exchange.DataReceived), out string reason))
        {
            // 07/74/40 AUTHENTICATION FAILED; the connection's remote-copy commands stay refused.
            exchange.Refuse(new SenseData(SenseData.DataProtect, 0x74, 0x40), "remote-copy peer 0x" + exchange.InitiatorId.ToString("X6", System.Globalization.CultureInfo.InvariantCulture) + " failed authentication: " + reason);
            return;
        }

        ConnectionLog.PeerAuthenticated(connection.Logger, connection.Peer, exchange.InitiatorId, connection.Peer);
        exchange.Good();
    }

    private void StartUpdate(ScsiExchange exchange)
    {
        if (!UpdateCopyCdb.TryRead(exchange.Cdb, out UpdateCopyCdb cdb, out string? reason))
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, reason!);
            return;
        }

        Ldev? sVol = _frontEnd.FindVolume(SVolOf(exchange));
        if (sVol is null)
        {
            exchange.Refuse(SenseData.LogicalUnitNotSupported, "RC UPDATE COPY to " + SVolOf(exchange).ToCompactString() + ": no volume is mapped there");
            return;
        }

        if (cdb.Lba + cdb.Blocks > sVol.BlockCount)
        {
            exchange.Refuse(SenseData.LbaOutOfRange, "RC UPDATE COPY of LBA " + cdb.Lba + " + " + cdb.Blocks + " blocks is beyond the " + sVol.BlockCount + " blocks of LDEV " + sVol.Id);
            return;
        }

        // Decoded once: the update goes on from it when its data has arrived.
        exchange.Ldev = sVol;
        exchange.UpdateCopyCdb = cdb;
        exchange.MoveTo(ExchangePhase.Submitted);
        exchange.RequestData(cdb.Blocks * 512);
    }

    private void SubmitUpdate(ScsiExchange exchange)
    {
        UpdateCopyCdb cdb = exchange.UpdateCopyCdb;
        RemoteUpdate update = new(SVolOf(exchange), cdb.Lba, new ArraySegment<byte>(exchange.Data!, 0, exchange.DataLength), cdb.CopiedTrack ? long.MaxValue : cdb.Sequence, cdb.BeyondCut);
        PairErrorCode refused = _frontEnd.Subsystem.Pairs.ReceiveRemoteUpdate(update, exchange, 0);
        if (refused != PairErrorCode.None)
        {
            exchange.Refuse(SenseData.PairRejected((byte)refused), "RC UPDATE COPY to " + update.SVol.ToCompactString() + " refused: " + refused);
        }
    }

    private void PairControl(ScsiExchange exchange)
    {
        if (!RemoteControlCodec.TryDecode(exchange.Data.AsSpan(0, exchange.DataReceived), out RemoteControl control, out string? reason))
        {
            exchange.Refuse(SenseData.InvalidFieldInParameterList, reason!);
            return;
        }

        Ldev? ldev = control.Kind == RemoteControlKind.Create ? _frontEnd.FindVolume(control.Pair.SVol) : null;
        PortId peer = exchange.InitiatorId;
        _frontEnd.Subsystem.Pairs.ReceiveRemoteControl((int)peer.Value, control, ldev, reply =>
        {
            if (reply.IsGood && reply.Bitmap is byte[] bits)
            {
                // Kept for the RC READ BITMAP that follows (a no-copy create's changes since the split; a swap resync's
                // changes at the old owner). READ BITMAP names the other volume of the pair and is sent to this one.
                _bitmaps[(peer, control.Kind == RemoteControlKind.PairCommand ? new PairAddress(control.Pair.SVol, control.Pair.PVol) : control.Pair)] = bits;
            }

            exchange.Complete(OutcomeOf(control, reply));
        });
    }

    private void ReadBitmap(ScsiExchange exchange)
    {
        if (!ResyncCdb.TryRead(exchange.Cdb, out ResyncCdb cdb, out string? reason))
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, reason!);
            return;
        }

        PairAddress pair = new(Address(cdb.PVol), SVolOf(exchange));
        if (!_bitmaps.TryRemove((exchange.InitiatorId, pair), out byte[]? bits))
        {
            exchange.Refuse(SenseData.PairRejected((byte)PairErrorCode.NotPaired), "RC READ BITMAP: no bitmap is kept for " + pair);
            return;
        }

        byte[] buffer = exchange.RentData(bits.Length);
        bits.CopyTo(buffer, 0);
        exchange.RespondWithData(bits.Length);
    }

    private void Resync(ScsiExchange exchange)
    {
        if (!ResyncCdb.TryRead(exchange.Cdb, out ResyncCdb cdb, out string? reason))
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, reason!);
            return;
        }

        // Handed to the control plane, which answers it (from the S-VOL's MP when the copy set is taken).
        RemoteControl control = new(RemoteControlKind.Resync, new PairAddress(Address(cdb.PVol), SVolOf(exchange)));
        exchange.MoveTo(ExchangePhase.Submitted);
        _frontEnd.Subsystem.Pairs.ReceiveRemoteControl((int)exchange.InitiatorId.Value, control, null, reply => exchange.Complete(reply.IsGood && reply.Bitmap is byte[] bits ? CommandOutcome.GoodWithData(bits) : OutcomeOf(control, reply)));
    }

    // The primary answers its host only after this answer, so the change it reports (this side's row created,
    // changed, deleted, turned by a swap) must survive a crash of this subsystem first (docs/durability.md):
    // ScsiExchange.Complete commits the table's kept state before the answer leaves, on the thread pool (a resync's
    // answer comes from the S-VOL's MP, which host I/O would wait behind); at once with nothing kept (RAM stores).
    private static CommandOutcome OutcomeOf(RemoteControl control, RemoteControlReply reply)
    {
        return reply.IsGood ? CommandOutcome.Good : new CommandOutcome(false, SenseData.PairRejected((byte)reply.Error), control + " refused: " + reply.Message);
    }

    // The S-VOL of an update or a resync: the LUN of the command at the port it was sent to.
    private static VolumeAddress SVolOf(ScsiExchange exchange)
    {
        return new VolumeAddress(exchange.TargetId, new Lun(exchange.Lun));
    }

    private static VolumeAddress Address(WireVolumeId volume)
    {
        return volume.ToVolumeAddress();
    }
}
