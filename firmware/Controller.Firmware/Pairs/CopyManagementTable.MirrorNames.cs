// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>
/// Mirror names (seed 000 FIG 8, R0-28): a name for an ordered set of pairs, defined, replaced or deleted by NAME
/// MIRRORS and expanded by ATOMIC SPLIT BY NAME (FIG 9). A pair belongs to at most one name; deleting a pair takes
/// it out of its name.
/// </summary>
public sealed partial class CopyManagementTable
{
    /// <summary>The longest mirror name (the FIG 8 name block holds 1-32 characters).</summary>
    public const int MaxMirrorNameLength = 32;

    private readonly Dictionary<string, List<MirrorPair>> _mirrorNames = new(StringComparer.Ordinal);

    /// <summary>
    /// Defines a mirror name for pairs, replacing the members of an existing name; no pairs deletes the name (a
    /// no-op when it is not defined). All or nothing: an invalid name, a pair listed twice, a pair that does not
    /// exist or one that belongs to another name refuses the command and changes nothing.
    /// </summary>
    /// <param name="mirrorName">The name: 1-32 printable ASCII characters (0x21-0x7E).</param>
    /// <param name="pairs">The members, in order.</param>
    /// <returns>The answer: None, or the error with the failing pair in the message.</returns>
    public MirrorNameResponse NameMirrors(string mirrorName, IReadOnlyList<PairAddress> pairs)
    {
        ArgumentNullException.ThrowIfNull(mirrorName);
        ArgumentNullException.ThrowIfNull(pairs);
        if (!IsValidMirrorName(mirrorName))
        {
            return new MirrorNameResponse(PairErrorCode.InvalidMirrorName, null, "mirror name '" + mirrorName + "' is not 1-" + MaxMirrorNameLength + " printable ASCII characters (0x21-0x7E)");
        }

        lock (_lock)
        {
            if (pairs.Count == 0)
            {
                if (!_mirrorNames.Remove(mirrorName, out List<MirrorPair>? removed))
                {
                    return new MirrorNameResponse(PairErrorCode.None, null, "mirror name '" + mirrorName + "' was not defined: nothing to delete");
                }

                foreach (MirrorPair pair in removed)
                {
                    pair.MirrorName = null;
                }

                return new MirrorNameResponse(PairErrorCode.None, null, "mirror name '" + mirrorName + "' deleted (" + removed.Count + " pairs)");
            }

            List<MirrorPair> members = new(pairs.Count);
            HashSet<PairAddress> seen = [];
            foreach (PairAddress address in pairs)
            {
                if (!seen.Add(address))
                {
                    return new MirrorNameResponse(PairErrorCode.DuplicatePair, address, "pair " + address + " is listed twice");
                }

                MirrorPair? pair = FindUnsynchronized(address.PVol, address.SVol);
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

            bool replaced = _mirrorNames.Remove(mirrorName, out List<MirrorPair>? previous);
            foreach (MirrorPair pair in previous ?? [])
            {
                pair.MirrorName = null;
            }

            foreach (MirrorPair pair in members)
            {
                pair.MirrorName = mirrorName;
            }

            _mirrorNames[mirrorName] = members;
            return new MirrorNameResponse(PairErrorCode.None, null, "mirror name '" + mirrorName + "' " + (replaced ? "replaced" : "defined") + " with " + members.Count + " pairs");
        }
    }

    /// <summary>Lists the defined mirror names and their members, in order.</summary>
    /// <returns>Name to members.</returns>
    public IReadOnlyDictionary<string, IReadOnlyList<PairAddress>> GetMirrorNames()
    {
        lock (_lock)
        {
            Dictionary<string, IReadOnlyList<PairAddress>> names = new(StringComparer.Ordinal);
            foreach (KeyValuePair<string, List<MirrorPair>> entry in _mirrorNames)
            {
                PairAddress[] members = new PairAddress[entry.Value.Count];
                for (int i = 0; i < members.Length; i++)
                {
                    members[i] = new PairAddress(entry.Value[i].PVolAddress, entry.Value[i].SVolAddress);
                }

                names[entry.Key] = members;
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
        if (mirrorName.Length is 0 or > MaxMirrorNameLength)
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

    // A deleted pair leaves its name; a name left with no member is deleted.
    private void ForgetMirrorNameUnsynchronized(MirrorPair pair)
    {
        if (pair.MirrorName is string name && _mirrorNames.TryGetValue(name, out List<MirrorPair>? members))
        {
            members.Remove(pair);
            if (members.Count == 0)
            {
                _mirrorNames.Remove(name);
            }
        }

        pair.MirrorName = null;
    }
}
