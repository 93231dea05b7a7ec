// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Concurrent;
using Controller.Addressing;
using Controller.Wire;

namespace Controller.Target.Scsi;

/// <summary>
/// The unit attention conditions pending per (I_T nexus, logical unit), SAM-5 5.14: established by a task management
/// function (29/03 after a logical unit reset, 29/02 after a target reset, 2F/00 for the nexuses whose commands
/// another initiator's CLEAR TASK SET aborted), reported once: as CHECK CONDITION, UNIT ATTENTION on the nexus's next
/// command to the unit (INQUIRY and REPORT LUNS pass and leave it), or as the sense data of REQUEST SENSE.
/// </summary>
/// <remarks>
/// One per controller. The command path reads one volatile count while nothing is pending; a pending condition is
/// looked up without a lock (<see cref="ConcurrentDictionary{TKey, TValue}"/>).
/// </remarks>
internal sealed class UnitAttentions
{
    /// <summary>Sense key UNIT ATTENTION.</summary>
    public const byte UnitAttentionKey = 0x06;

    private readonly ConcurrentDictionary<(long Nexus, LdevId Ldev), SenseData> _pending = new();

    // How many conditions are pending: the command path's fast check (0: nothing to look up).
    private int _count;

    /// <summary>Gets 06/29/03 BUS DEVICE RESET FUNCTION OCCURRED (a logical unit reset).</summary>
    public static SenseData LogicalUnitReset => new(UnitAttentionKey, 0x29, 0x03);

    /// <summary>Gets 06/29/02 SCSI BUS RESET OCCURRED (a target reset).</summary>
    public static SenseData TargetReset => new(UnitAttentionKey, 0x29, 0x02);

    /// <summary>Gets 06/2F/00 COMMANDS CLEARED BY ANOTHER INITIATOR (another nexus's CLEAR TASK SET aborted commands of this one).</summary>
    public static SenseData CommandsCleared => new(UnitAttentionKey, 0x2F, 0x00);

    /// <summary>Gets the number of pending conditions.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Establishes a condition for a nexus on a unit. A reset (ASC 29h) outranks COMMANDS CLEARED and replaces it; not the reverse (SPC-4: the condition of higher precedence is reported).</summary>
    public void Establish(long nexus, LdevId ldev, SenseData sense)
    {
        while (true)
        {
            if (_pending.TryGetValue((nexus, ldev), out SenseData existing))
            {
                if (existing.Code == 0x29 && sense.Code != 0x29)
                {
                    return;
                }

                if (_pending.TryUpdate((nexus, ldev), sense, existing))
                {
                    return;
                }
            }
            else if (_pending.TryAdd((nexus, ldev), sense))
            {
                // Counted after the add: a command that misses it by a moment ran before the condition existed.
                Interlocked.Increment(ref _count);
                return;
            }
        }
    }

    /// <summary>Takes the pending condition of a nexus on a unit, if any (it is reported once).</summary>
    public bool TryTake(long nexus, LdevId ldev, out SenseData sense)
    {
        sense = default;
        if (Volatile.Read(ref _count) == 0)
        {
            return false;
        }

        if (_pending.TryRemove((nexus, ldev), out sense))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }
}
