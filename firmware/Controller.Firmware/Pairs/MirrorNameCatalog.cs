// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The mirror-name catalog (seed 000 FIG 8, R0-28): a name for an ordered set of pairs, defined, replaced or deleted by
/// NAME MIRRORS and expanded by ATOMIC SPLIT BY NAME (FIG 9). A pair belongs to at most one name; deleting a pair takes
/// it out of its name. The names live under the registry's lock, beside the rows they name.
/// </summary>
internal sealed class MirrorNameCatalog
{
    private readonly CopyManagementTable _table;
    private readonly PairRegistry _registry;

    // The named rows of this subsystem, and every member of each name in order (with a peer's, for a name that spans both).
    private readonly Dictionary<string, List<MirrorPair>> _mirrorNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PairAddress[]> _nameOrder = new(StringComparer.Ordinal);

    /// <summary>Initializes an empty catalog.</summary>
    /// <param name="table">The table (its link side reaches a peer's members).</param>
    /// <param name="registry">The rows and the lock.</param>
    public MirrorNameCatalog(CopyManagementTable table, PairRegistry registry)
    {
        _table = table;
        _registry = registry;
    }

    /// <summary>
    /// Defines a mirror name for pairs of this subsystem, replacing the members of an existing name; no pairs deletes
    /// the name (a no-op when it is not defined). All or nothing: an invalid name, a pair listed twice, a pair that
    /// does not exist or one that belongs to another name refuses the command and changes nothing. A name with
    /// members in a peer is defined by <see cref="NameMirrorsAsync"/>.
    /// </summary>
    /// <param name="mirrorName">The name: 1-32 printable ASCII characters (0x21-0x7E).</param>
    /// <param name="pairs">The members, in order.</param>
    /// <returns>The answer: None, or the error with the failing pair in the message.</returns>
    public MirrorNameResponse NameMirrors(string mirrorName, IReadOnlyList<PairAddress> pairs)
    {
        ArgumentNullException.ThrowIfNull(mirrorName);
        ArgumentNullException.ThrowIfNull(pairs);
        lock (_registry.Lock)
        {
            return DefineNameUnsynchronized(mirrorName, pairs, pairs, apply: true);
        }
    }

    /// <summary>
    /// Defines, replaces or deletes a mirror name whose members may live in this subsystem and in a peer (R0-12,
    /// R0-29): the members here are checked, the peer checks and records its own (and the whole list), then the
    /// name is recorded here. Either subsystem then lists the same members in the same order.
    /// </summary>
    /// <param name="mirrorName">The name.</param>
    /// <param name="pairs">The members, in order, in either subsystem.</param>
    /// <returns>The answer, once the peer has answered (at once when every member is here).</returns>
    public Task<MirrorNameResponse> NameMirrorsAsync(string mirrorName, IReadOnlyList<PairAddress> pairs)
    {
        ArgumentNullException.ThrowIfNull(mirrorName);
        ArgumentNullException.ThrowIfNull(pairs);
        IRemoteCopyPath? path = null;
        List<PairAddress> local = [];
        lock (_registry.Lock)
        {
            foreach (PairAddress address in pairs.Count == 0 ? _nameOrder.GetValueOrDefault(mirrorName) ?? [] : pairs)
            {
                MirrorPair? row = _registry.FindUnsynchronized(address.PVol, address.SVol);
                IRemoteCopyPath? reaching = row is null || row.IsSecondary ? _table.Primary.FindRemotePathUnsynchronized(address.PVol.PortId) : null;
                if (reaching is null)
                {
                    local.Add(address);
                }
                else
                {
                    path ??= reaching;
                }
            }

            if (path is null)
            {
                return Task.FromResult(DefineNameUnsynchronized(mirrorName, pairs, pairs, apply: true));
            }

            // The members here first, without recording anything: the peer is asked only if they would do.
            MirrorNameResponse check = DefineNameUnsynchronized(mirrorName, pairs.Count == 0 ? [] : local, pairs, apply: false);
            if (!check.Succeeded)
            {
                return Task.FromResult(check);
            }
        }

        TaskCompletionSource<MirrorNameResponse> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        RemoteControl message = new(RemoteControlKind.NameMirrors, default) { MirrorName = mirrorName, Members = [.. pairs] };
        path.SendControl(message, reply =>
        {
            if (!reply.IsGood)
            {
                answer.SetResult(new MirrorNameResponse(reply.Status == RemoteStatus.LinkDown ? PairErrorCode.LinkDown : reply.Error, null, "the peer did not take mirror name '" + mirrorName + "': " + reply.Message));
                return;
            }

            lock (_registry.Lock)
            {
                answer.SetResult(DefineNameUnsynchronized(mirrorName, pairs.Count == 0 ? [] : local, pairs, apply: true));
            }
        });
        return answer.Task;
    }

    /// <summary>A name from the coordinator: the members here are checked and named; the whole list is kept for display.</summary>
    /// <param name="request">The NAME MIRRORS message.</param>
    /// <returns>The reply.</returns>
    public RemoteControlReply ReceiveMirrorName(RemoteControl request)
    {
        string name = request.MirrorName ?? string.Empty;
        lock (_registry.Lock)
        {
            List<PairAddress> here = [];
            foreach (PairAddress address in request.Members)
            {
                if (_registry.FindUnsynchronized(address.PVol, address.SVol) is { IsSecondary: false })
                {
                    here.Add(address);
                }
            }

            MirrorNameResponse response = DefineNameUnsynchronized(name, request.Members.Count == 0 ? [] : here, request.Members, apply: true);
            return response.Succeeded
                ? new RemoteControlReply(RemoteStatus.Good, PairErrorCode.None, response.Message)
                : RemoteControlReply.Refused(response.Error, response.Message);
        }
    }

    // Checks (and with apply, records) a name: 'local' are the members whose rows are here, 'all' every member in
    // order (the same list when no peer takes part). No members deletes the name.
    private MirrorNameResponse DefineNameUnsynchronized(string mirrorName, IReadOnlyList<PairAddress> local, IReadOnlyList<PairAddress> all, bool apply)
    {
        if (!IsValidMirrorName(mirrorName))
        {
            return new MirrorNameResponse(PairErrorCode.InvalidMirrorName, null, "mirror name '" + mirrorName + "' is not 1-" + CopyManagementTable.MaxMirrorNameLength + " printable ASCII characters (0x21-0x7E)");
        }

        if (all.Count == 0)
        {
            if (!_mirrorNames.ContainsKey(mirrorName) && !_nameOrder.ContainsKey(mirrorName))
            {
                return new MirrorNameResponse(PairErrorCode.None, null, "mirror name '" + mirrorName + "' was not defined: nothing to delete");
            }

            int count = _nameOrder.GetValueOrDefault(mirrorName)?.Length ?? 0;
            if (apply)
            {
                _mirrorNames.Remove(mirrorName, out List<MirrorPair>? removed);
                foreach (MirrorPair pair in removed ?? [])
                {
                    pair.MirrorName = null;
                }

                _registry.KeepUnsynchronized(removed ?? []);

                _nameOrder.Remove(mirrorName);
            }

            return new MirrorNameResponse(PairErrorCode.None, null, "mirror name '" + mirrorName + "' deleted (" + count + " pairs)");
        }

        HashSet<PairAddress> seen = [];
        foreach (PairAddress address in all)
        {
            if (!seen.Add(address))
            {
                return new MirrorNameResponse(PairErrorCode.DuplicatePair, address, "pair " + address + " is listed twice");
            }
        }

        List<MirrorPair> members = new(local.Count);
        foreach (PairAddress address in local)
        {
            MirrorPair? pair = _registry.FindUnsynchronized(address.PVol, address.SVol);
            if (pair is null)
            {
                return new MirrorNameResponse(PairErrorCode.PairNotFound, address, "pair " + address + " does not exist");
            }

            if (pair.MirrorName is string other && !string.Equals(other, mirrorName, StringComparison.Ordinal))
            {
                return new MirrorNameResponse(PairErrorCode.NamedElsewhere, address, "pair " + address + " already belongs to mirror name '" + other + "'");
            }

            members.Add(pair);
        }

        if (!apply)
        {
            return new MirrorNameResponse(PairErrorCode.None, null, "mirror name '" + mirrorName + "' would do");
        }

        bool replaced = _mirrorNames.Remove(mirrorName, out List<MirrorPair>? previous) | _nameOrder.ContainsKey(mirrorName);
        foreach (MirrorPair pair in previous ?? [])
        {
            pair.MirrorName = null;
        }

        foreach (MirrorPair pair in members)
        {
            pair.MirrorName = mirrorName;
        }

        _registry.KeepUnsynchronized(previous ?? []);
        _registry.KeepUnsynchronized(members);

        _mirrorNames[mirrorName] = members;
        _nameOrder[mirrorName] = [.. all];
        string where = members.Count == all.Count ? string.Empty : " (" + members.Count + " here, " + (all.Count - members.Count) + " in the peer)";
        return new MirrorNameResponse(PairErrorCode.None, null, "mirror name '" + mirrorName + "' " + (replaced ? "replaced" : "defined") + " with " + all.Count + " pairs" + where);
    }

    /// <summary>Lists the defined mirror names and their members, in order.</summary>
    /// <returns>Name to members.</returns>
    public IReadOnlyDictionary<string, IReadOnlyList<PairAddress>> GetMirrorNames()
    {
        lock (_registry.Lock)
        {
            Dictionary<string, IReadOnlyList<PairAddress>> names = new(StringComparer.Ordinal);
            foreach (KeyValuePair<string, PairAddress[]> entry in _nameOrder)
            {
                names[entry.Key] = [.. entry.Value];
            }

            return names;
        }
    }

    /// <summary>Tells whether a text may be a mirror name: 1-32 characters, each printable ASCII 0x21-0x7E.</summary>
    /// <param name="mirrorName">The text.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValidMirrorName(string mirrorName)
    {
        ArgumentNullException.ThrowIfNull(mirrorName);
        if (mirrorName.Length is 0 or > CopyManagementTable.MaxMirrorNameLength)
        {
            return false;
        }

        foreach (char c in mirrorName)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A deleted pair leaves its name; a name left with no member is deleted (under the lock).</summary>
    /// <param name="pair">The pair.</param>
    public void ForgetUnsynchronized(MirrorPair pair)
    {
        if (pair.MirrorName is string name && _mirrorNames.TryGetValue(name, out List<MirrorPair>? members))
        {
            members.Remove(pair);
            PairAddress address = new(pair.PVolAddress, pair.SVolAddress);
            List<PairAddress> order = [];
            foreach (PairAddress member in _nameOrder.GetValueOrDefault(name) ?? [])
            {
                if (member != address)
                {
                    order.Add(member);
                }
            }

            if (order.Count == 0)
            {
                _mirrorNames.Remove(name);
                _nameOrder.Remove(name);
            }
            else
            {
                _nameOrder[name] = [.. order];
            }
        }

        pair.MirrorName = null;
    }

    /// <summary>Lists the pairs of a mirror name.</summary>
    /// <param name="mirrorName">The name; compared exactly (ordinal).</param>
    /// <returns>The pairs, in entry order; empty for an unknown name.</returns>
    public IReadOnlyList<MirrorPair> FindByMirrorName(string mirrorName)
    {
        lock (_registry.Lock)
        {
            List<MirrorPair> found = [];
            foreach (MirrorPair pair in _registry.RowsUnsynchronized)
            {
                if (string.Equals(pair.MirrorName, mirrorName, StringComparison.Ordinal))
                {
                    found.Add(pair);
                }
            }

            return found;
        }
    }

    /// <summary>Every member of a name, here and in the peer, in the order the name was defined (under the lock).</summary>
    /// <param name="mirrorName">The name.</param>
    /// <param name="members">The members.</param>
    /// <returns>False for an unknown name.</returns>
    public bool TryGetMembersUnsynchronized(string mirrorName, out PairAddress[] members)
    {
        if (_nameOrder.TryGetValue(mirrorName, out PairAddress[]? named))
        {
            members = named;
            return true;
        }

        members = [];
        return false;
    }

    /// <summary>A restored row's name: the name's order is rebuilt from the rows in entry order (under the lock).</summary>
    /// <param name="pair">The restored row.</param>
    /// <param name="mirrorName">Its kept name.</param>
    public void AddRestoredUnsynchronized(MirrorPair pair, string mirrorName)
    {
        // Members in a peer are not kept here: a restored name lists this subsystem's rows.
        pair.MirrorName = mirrorName;
        List<MirrorPair> members = _mirrorNames.TryGetValue(mirrorName, out List<MirrorPair>? known) ? known : (_mirrorNames[mirrorName] = []);
        members.Add(pair);
        _nameOrder[mirrorName] = [.. _nameOrder.GetValueOrDefault(mirrorName) ?? [], new PairAddress(pair.PVolAddress, pair.SVolAddress)];
    }
}
