// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Addressing;

namespace Controller.Target.Scsi;

/// <summary>
/// The reservations of one logical unit: the SPC-2 RESERVE(6) holder, and the persistent reservation state of
/// SPC-4 (registered keys per I_T nexus, one reservation of type Write Exclusive). Control plane: a lock; the
/// per-command check reads one volatile flag first, so an unreserved unit costs nothing more.
/// </summary>
/// <remarks>A nexus is (initiator port ID, target port ID), packed in a long.</remarks>
internal sealed class LogicalUnitReservations
{
    /// <summary>PERSISTENT RESERVE type 1: Write Exclusive (the only one this target grants).</summary>
    public const byte WriteExclusive = 1;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, ulong> _registrations = [];
    private long _reserveHolder = -1;
    private long _persistentHolder = -1;
    private uint _generation;

    // True while any RESERVE(6) or persistent reservation exists: the fast path of Check.
    private volatile bool _reserved;

    public static long Nexus(PortId initiator, PortId target)
    {
        return ((long)initiator.Value << 24) | target.Value;
    }

    /// <summary>Whether a command from a nexus conflicts with the unit's reservations (SPC-4 5.13, tables for RESERVE(6) and Write Exclusive).</summary>
    public bool Conflicts(long nexus, byte opcode)
    {
        if (!_reserved)
        {
            return false;
        }

        lock (_lock)
        {
            if (_reserveHolder >= 0 && _reserveHolder != nexus)
            {
                // RESERVE(6) by another nexus: only these pass.
                return opcode is not (ScsiOpcode.Inquiry or ScsiOpcode.ReportLuns or ScsiOpcode.RequestSense or ScsiOpcode.Release6);
            }

            if (_persistentHolder >= 0 && _persistentHolder != nexus)
            {
                // Write Exclusive: media writes and cache flushes conflict, reads do not.
                return opcode is ScsiOpcode.Write10 or ScsiOpcode.Write16 or ScsiOpcode.SynchronizeCache10 or ScsiOpcode.SynchronizeCache16 or ScsiOpcode.Reserve6;
            }

            return false;
        }
    }

    /// <summary>RESERVE(6): granted unless another nexus holds it, or a persistent reservation exists.</summary>
    public bool Reserve(long nexus)
    {
        lock (_lock)
        {
            if ((_reserveHolder >= 0 && _reserveHolder != nexus) || _persistentHolder >= 0)
            {
                return false;
            }

            _reserveHolder = nexus;
            _reserved = true;
            return true;
        }
    }

    /// <summary>RELEASE(6): releases the holder's reservation; from anyone else it does nothing (and is GOOD).</summary>
    public void Release(long nexus)
    {
        lock (_lock)
        {
            if (_reserveHolder == nexus)
            {
                _reserveHolder = -1;
                UpdateReservedUnsynchronized();
            }
        }
    }

    /// <summary>A logical unit reset: the SPC-2 RESERVE(6) is released whoever holds it; persistent reservations stay (SPC-4 5.13.11).</summary>
    public void ResetSpc2Reservation()
    {
        lock (_lock)
        {
            _reserveHolder = -1;
            UpdateReservedUnsynchronized();
        }
    }

    /// <summary>PERSISTENT RESERVE OUT. Returns the outcome the command set turns into status and sense.</summary>
    public PersistentReserveOutcome PersistentReserveOut(long nexus, byte serviceAction, byte type, ulong key, ulong serviceActionKey)
    {
        lock (_lock)
        {
            if (_reserveHolder >= 0 && _reserveHolder != nexus)
            {
                return PersistentReserveOutcome.Conflict;
            }

            bool registered = _registrations.TryGetValue(nexus, out ulong registeredKey);
            switch (serviceAction)
            {
                case 0: // REGISTER
                    if (!registered)
                    {
                        if (key != 0)
                        {
                            return PersistentReserveOutcome.Conflict;
                        }

                        if (serviceActionKey != 0)
                        {
                            _registrations[nexus] = serviceActionKey;
                            _generation++;
                        }

                        return PersistentReserveOutcome.Good;
                    }

                    if (key != registeredKey)
                    {
                        return PersistentReserveOutcome.Conflict;
                    }

                    if (serviceActionKey == 0)
                    {
                        _registrations.Remove(nexus);
                        if (_persistentHolder == nexus)
                        {
                            _persistentHolder = -1;
                        }
                    }
                    else
                    {
                        _registrations[nexus] = serviceActionKey;
                    }

                    _generation++;
                    UpdateReservedUnsynchronized();
                    return PersistentReserveOutcome.Good;

                case 1: // RESERVE
                    if (!registered || key != registeredKey)
                    {
                        return PersistentReserveOutcome.Conflict;
                    }

                    if (type != WriteExclusive)
                    {
                        return PersistentReserveOutcome.InvalidType;
                    }

                    if (_persistentHolder >= 0)
                    {
                        return _persistentHolder == nexus ? PersistentReserveOutcome.Good : PersistentReserveOutcome.Conflict;
                    }

                    _persistentHolder = nexus;
                    _reserved = true;
                    return PersistentReserveOutcome.Good;

                case 2: // RELEASE
                    if (!registered || key != registeredKey)
                    {
                        return PersistentReserveOutcome.Conflict;
                    }

                    if (_persistentHolder != nexus)
                    {
                        return PersistentReserveOutcome.Good;
                    }

                    if (type != WriteExclusive)
                    {
                        return PersistentReserveOutcome.InvalidRelease;
                    }

                    _persistentHolder = -1;
                    UpdateReservedUnsynchronized();
                    return PersistentReserveOutcome.Good;

                case 3: // CLEAR
                    if (!registered || key != registeredKey)
                    {
                        return PersistentReserveOutcome.Conflict;
                    }

                    _registrations.Clear();
                    _persistentHolder = -1;
                    _generation++;
                    UpdateReservedUnsynchronized();
                    return PersistentReserveOutcome.Good;

                default:
                    return PersistentReserveOutcome.InvalidServiceAction;
            }
        }
    }

    /// <summary>PERSISTENT RESERVE IN, READ KEYS: generation, length, then the keys.</summary>
    public int ReadKeys(Span<byte> destination)
    {
        lock (_lock)
        {
            int length = 8 + (8 * _registrations.Count);
            Span<byte> data = length <= destination.Length ? destination : new byte[length];
            BinaryPrimitives.WriteUInt32BigEndian(data, _generation);
            BinaryPrimitives.WriteUInt32BigEndian(data[4..], (uint)(8 * _registrations.Count));
            int at = 8;
            foreach (ulong key in _registrations.Values)
            {
                BinaryPrimitives.WriteUInt64BigEndian(data[at..], key);
                at += 8;
            }

            if (data != destination)
            {
                data[..destination.Length].CopyTo(destination);
            }

            return length;
        }
    }

    /// <summary>PERSISTENT RESERVE IN, READ RESERVATION: generation, length, then the reservation (if any).</summary>
    public int ReadReservation(Span<byte> destination)
    {
        lock (_lock)
        {
            Span<byte> data = stackalloc byte[24];
            data.Clear();
            BinaryPrimitives.WriteUInt32BigEndian(data, _generation);
            int length = 8;
            if (_persistentHolder >= 0)
            {
                BinaryPrimitives.WriteUInt32BigEndian(data[4..], 16);
                BinaryPrimitives.WriteUInt64BigEndian(data[8..], _registrations.GetValueOrDefault(_persistentHolder));
                data[21] = WriteExclusive;
                length = 24;
            }

            data[..Math.Min(length, destination.Length)].CopyTo(destination);
            return length;
        }
    }

    private void UpdateReservedUnsynchronized()
    {
        _reserved = _reserveHolder >= 0 || _persistentHolder >= 0;
    }
}
