// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Concurrent;

namespace Controller.Target;

/// <summary>
/// The I_T nexuses logged in to the controller, across connections: (initiator port ID, target port ID) to the
/// connection and login that hold it. A second PLOGI for a nexus finds the first here and logs it out implicitly
/// (FC-LS); a task management function finds here the other nexuses it must abort commands of or tell (unit
/// attention). Written on the readers of the connections (control plane).
/// </summary>
internal sealed class NexusTable
{
    private readonly ConcurrentDictionary<long, (TargetConnection Connection, Login Login)> _logins = new();

    /// <summary>Records a login, returning the one it replaces (null when the nexus was not logged in).</summary>
    public (TargetConnection Connection, Login Login)? Add(long nexus, TargetConnection connection, Login login)
    {
        (TargetConnection Connection, Login Login)? replaced = null;
        _logins.AddOrUpdate(nexus, (connection, login), (_, old) =>
        {
            replaced = old;
            return (connection, login);
        });
        return replaced;
    }

    /// <summary>Removes a nexus if <paramref name="login"/> still holds it (a LOGO, or the connection's end).</summary>
    public void Remove(long nexus, Login login)
    {
        if (_logins.TryGetValue(nexus, out (TargetConnection Connection, Login Login) entry) && ReferenceEquals(entry.Login, login))
        {
            _logins.TryRemove(new KeyValuePair<long, (TargetConnection, Login)>(nexus, entry));
        }
    }

    /// <summary>A snapshot of the nexuses logged in, with their connections.</summary>
    public List<(long Nexus, TargetConnection Connection)> Snapshot()
    {
        List<(long, TargetConnection)> list = [];
        foreach (KeyValuePair<long, (TargetConnection Connection, Login Login)> entry in _logins)
        {
            list.Add((entry.Key, entry.Value.Connection));
        }

        return list;
    }
}
