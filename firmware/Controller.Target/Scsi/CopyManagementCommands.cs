// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Volumes;
using Controller.Wire;
using Controller.Wire.CopyManagement;

namespace Controller.Target.Scsi;

/// <summary>
/// The vendor-specific copy-management commands (docs/protocol.md): the pair operations of the Copy Management
/// Table and PAIR STATUS. Control plane. Volumes are named by (port ID, LUN) in the controller's namespace.
/// </summary>
internal sealed class CopyManagementCommands
{
    private readonly ControllerFrontEnd _frontEnd;
    private readonly CopyManagementScope _scope;

    public CopyManagementCommands(ControllerFrontEnd frontEnd)
    {
        _frontEnd = frontEnd;
        _scope = new CopyManagementScope(frontEnd);
    }

    /// <summary>A copy-management command has arrived: its CDB is decoded here, once, and kept on the exchange.</summary>
    public void Execute(ScsiExchange exchange)
    {
        if (!CopyManagementCdb.TryRead(exchange.Cdb, out CopyManagementCdb cdb, out string? reason))
        {
            exchange.Refuse(SenseData.InvalidFieldInCdb, reason!);
            return;
        }

        Login login = exchange.Login!;
        exchange.CopyManagementCdb = cdb;
        CopyManagementAudit audit = new(_frontEnd.Options, exchange, CopyManagementOpcodes.GetName(cdb.Opcode));
        exchange.Audit = audit;
        if (!_scope.IsCommandDevice(login, exchange.Lun))
        {
            Refuse(exchange, ScsiSense.InvalidOpcode, "LUN 0x" + exchange.Lun.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + " of port " + login.Port.PortId + " is not a command device; copy-management commands go to a LUN whose LDEV is flagged command-device");
            return;
        }

        if (cdb.Opcode == CopyManagementOpcode.PairStatus)
        {
            PairStatus(exchange, login, audit, cdb.ParameterLength);
            return;
        }

        if (!CopyManagementRequest.TryCheckParameterLength(cdb, out CopyManagementError error))
        {
            Refuse(exchange, error.Sense, error.Reason);
            return;
        }

        exchange.RequestData((int)cdb.ParameterLength);
    }

    /// <summary>The command's parameter list has arrived: decode it with the CDB decoded when the command started, and run it.</summary>
    public void OnDataOut(ScsiExchange exchange)
    {
        CopyManagementCdb cdb = exchange.CopyManagementCdb;
        CopyManagementAudit audit = exchange.Audit!;
        ReadOnlySpan<byte> parameters = exchange.Data.AsSpan(0, exchange.DataReceived);
        if (!CopyManagementRequest.TryDecode(cdb, parameters, out CopyManagementRequest request, out CopyManagementError error))
        {
            Refuse(exchange, error.Sense, error.Reason);
            return;
        }

        audit.SetCommand(request.MirrorName is null ? CopyManagementOpcodes.GetName(request.Opcode) : CopyManagementOpcodes.GetName(request.Opcode) + " " + request.MirrorName);
        audit.SetVolumes(VolumesText(request.Pairs));

        // The login the command came through; gone only if the initiator logged out while sending the data.
        Login? login = exchange.Connection.FindProcessLogin(exchange.TargetId);
        string refusal = "the initiator logged out of the port during the command";
        if (login is null || !TryCheckScope(login, request, out refusal))
        {
            Refuse(exchange, ScsiSense.AccessNotAuthorized, refusal);
            return;
        }

        switch (request.Opcode)
        {
            case CopyManagementOpcode.NameMirrors:
                NameMirrors(exchange, request);
                return;
            case CopyManagementOpcode.AtomicSplit:
            case CopyManagementOpcode.AtomicSplitByName:
                AtomicSplit(exchange, request);
                return;
            default:
                break;
        }

        if (!TryGetOperation(request.Opcode, out PairOperation operation))
        {
            Refuse(exchange, ScsiSense.InvalidOpcode, CopyManagementOpcodes.GetName(request.Opcode) + " is not a copy-management command this controller runs");
            return;
        }

        WirePair pair = request.Pairs[0];
        VolumeAddress pVol = Address(pair.PVol);
        VolumeAddress sVol = Address(pair.SVol);
        Task<PairCommandResponse> response;
        if (operation == PairOperation.Create)
        {
            Ldev? pLdev = _frontEnd.FindVolume(pVol);
            Ldev? sLdev = _frontEnd.FindVolume(sVol);
            bool remote = sLdev is null && _frontEnd.FindPort(sVol.PortId) is null;
            if (pLdev is null || (sLdev is null && !remote))
            {
                Refuse(exchange, SenseData.VolumeNotMapped, "volume " + (pLdev is null ? pVol : sVol).ToCompactString() + " is not mapped on this controller");
                return;
            }

            if (_scope.IsConfiguredCommandDevice(pLdev.Id) || (sLdev is not null && _scope.IsConfiguredCommandDevice(sLdev.Id)))
            {
                Refuse(exchange, SenseData.InvalidFieldInParameterList, "volume " + (_scope.IsConfiguredCommandDevice(pLdev.Id) ? pVol : sVol).ToCompactString() + " is a command device, which is never a pair volume");
                return;
            }

            if (request.Determining && !remote)
            {
                Refuse(exchange, SenseData.InvalidFieldInCdb, "PAIR CREATE: DETERMINING is for remote pairs (the S-VOL must be on another subsystem)");
                return;
            }

            // NOCOPY (FIG 12): accepted only for volumes one atomic split left equal; then only their changes are copied.
            CopyManagementTable table = _frontEnd.Subsystem.Pairs;
            response = remote
                ? table.CreateRemoteAsync(pVol, pLdev, sVol, request.Fence == 1 ? FenceLevel.Data : FenceLevel.Never, request.NoCopy, request.Determining)
                : Task.FromResult(request.NoCopy ? table.CreateNoCopy(pVol, pLdev, sVol, sLdev!) : table.Create(pVol, pLdev, sVol, sLdev!));
        }
        else
        {
            if (request.ProtectPVol)
            {
                operation = PairOperation.SplitProtectPVol;
            }

            response = _frontEnd.Subsystem.Pairs.ExecuteAsync(pVol, sVol, operation, request.ReadWrite ? SplitMode.ReadWrite : SplitMode.ReadOnly);
        }

        // A remote pair's command waits for its secondary: the exchange stays open until the answer.
        CompleteWhenDone(response, exchange, static result => result.Result == CommandResult.Rejected ? CommandOutcome.Rejected(result.Error, result.Message) : CommandOutcome.Good);
    }

    // Every volume a command names must be in the sender's scope: the pairs it lists, or a name's members when it
    // names a mirror set (ATOMIC SPLIT BY NAME, NAME MIRRORS deleting or replacing a name).
    private bool TryCheckScope(Login login, in CopyManagementRequest request, out string reason)
    {
        bool creating = request.Opcode == CopyManagementOpcode.PairCreate;
        foreach (WirePair pair in request.Pairs)
        {
            if (!_scope.AllowsPair(login, Address(pair.PVol), Address(pair.SVol), creating, out reason))
            {
                return false;
            }
        }

        if (request.MirrorName is string name)
        {
            foreach (MirrorPair member in _frontEnd.Subsystem.Pairs.GetPairs())
            {
                if (string.Equals(member.MirrorName, name, StringComparison.Ordinal)
                    && !_scope.AllowsPair(login, member.PVolAddress, member.SVolAddress, false, out reason))
                {
                    reason = "mirror name '" + name + "': " + reason;
                    return false;
                }
            }
        }

        reason = string.Empty;
        return true;
    }

    private static string VolumesText(IReadOnlyList<WirePair> pairs)
    {
        System.Text.StringBuilder text = new();
        foreach (WirePair pair in pairs)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(Address(pair.PVol).ToCompactString()).Append('>').Append(Address(pair.SVol).ToCompactString());
        }

        return text.ToString();
    }

    // A refusal before the command is decided: logged, audited (once the CDB was read), answered at once.
    private static void Refuse(ScsiExchange exchange, SenseData sense, string reason)
    {
        exchange.Audit?.Refused(sense, reason);
        exchange.Refuse(sense, reason);
    }

    // The one completion style (docs/architecture.md, "Target dispatch"): a decided command ends in its exchange's
    // Complete, which answers once the state is kept. The table hands some results back as a task (a remote pair's
    // command waits for its secondary): the continuation, on the thread that decides it, makes the same call.
    private static void CompleteWhenDone<T>(Task<T> decided, ScsiExchange exchange, Func<T, CommandOutcome> outcome)
    {
        if (decided.IsCompleted)
        {
            exchange.Complete(outcome(decided.Result));
            return;
        }

        _ = decided.ContinueWith(done => exchange.Complete(outcome(done.Result)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static PairAddress[] Addresses(IReadOnlyList<WirePair> pairs)
    {
        PairAddress[] addresses = new PairAddress[pairs.Count];
        for (int i = 0; i < addresses.Length; i++)
        {
            addresses[i] = new PairAddress(Address(pairs[i].PVol), Address(pairs[i].SVol));
        }

        return addresses;
    }

    // FIG 8: define, replace or (no pairs) delete a mirror name.
    private void NameMirrors(ScsiExchange exchange, in CopyManagementRequest request)
    {
        // A name whose members are also in a peer is agreed with it first: the answer waits for the peer.
        Task<MirrorNameResponse> named = _frontEnd.Subsystem.Pairs.NameMirrorsAsync(request.MirrorName!, Addresses(request.Pairs));
        CompleteWhenDone(named, exchange, static response => response.Succeeded ? CommandOutcome.Good : CommandOutcome.Rejected(response.Error, response.Message));
    }

    // FIG 7 / FIG 9: the exchange stays open until the split has committed and released its holds (or aborted), so
    // the host sees the split's whole latency; the split point is in the members' PAIR STATUS rows.
    private void AtomicSplit(ScsiExchange exchange, in CopyManagementRequest request)
    {
        AtomicSplitMechanism mechanism = request.Mechanism == SplitMechanism.SequenceCut ? AtomicSplitMechanism.SequenceCut : AtomicSplitMechanism.Freeze;
        SplitMode mode = request.ReadWrite ? SplitMode.ReadWrite : SplitMode.ReadOnly;
        AtomicSplitRequest split = request.Opcode == CopyManagementOpcode.AtomicSplitByName
            ? AtomicSplitRequest.ByName(request.MirrorName!, mechanism, mode) with { HoldTimeout = _frontEnd.Options.SplitHoldTimeout }
            : AtomicSplitRequest.ByList(Addresses(request.Pairs), mechanism, mode) with { HoldTimeout = _frontEnd.Options.SplitHoldTimeout };
        _frontEnd.Subsystem.Pairs.StartAtomicSplit(split, result => exchange.Complete(result.Succeeded ? CommandOutcome.Good : CommandOutcome.Rejected(result.Error, result.Message)));
    }

    private static VolumeAddress Address(WireVolumeId volume)
    {
        return volume.ToVolumeAddress();
    }

    private static bool TryGetOperation(CopyManagementOpcode opcode, out PairOperation operation)
    {
        operation = opcode switch
        {
            CopyManagementOpcode.PairCreate => PairOperation.Create,
            CopyManagementOpcode.PairSplit => PairOperation.Split,
            CopyManagementOpcode.PairResync => PairOperation.Resync,
            CopyManagementOpcode.PairRestore => PairOperation.Restore,
            CopyManagementOpcode.PairSwapResync => PairOperation.SwapResync,
            CopyManagementOpcode.PairDelete => PairOperation.Delete,
            CopyManagementOpcode.PairSuspendByError => PairOperation.SuspendByError,
            _ => (PairOperation)(-1),
        };
        return operation >= 0;
    }

    private static PairStatusRow RowOf(MirrorPair pair)
    {
        return PairStatusRows.Of(pair);
    }

    // PAIR STATUS lists the pairs the sender could manage (its scope), not every pair of the controller.
    private void PairStatus(ScsiExchange exchange, Login login, CopyManagementAudit audit, uint allocationLength)
    {
        List<PairStatusRow> visible = [];
        foreach (MirrorPair pair in _frontEnd.Subsystem.Pairs.GetPairs())
        {
            if (_scope.AllowsPair(login, pair.PVolAddress, pair.SVolAddress, false, out _))
            {
                visible.Add(RowOf(pair));
            }
        }

        PairStatusRow[] rows = visible.ToArray();

        int length = PairStatusData.GetTransferLength(rows.Length, allocationLength);
        byte[] buffer = exchange.RentData(length);
        if (!PairStatusData.TryWrite(rows, allocationLength, buffer, out int written, out string? reason))
        {
            Refuse(exchange, SenseData.InvalidFieldInCdb, "PAIR STATUS: " + reason);
            return;
        }

        audit.Accepted(rows.Length + " rows");
        exchange.RespondWithData(written);
    }
}
