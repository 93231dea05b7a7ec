// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target.Scsi;

/// <summary>What a PERSISTENT RESERVE OUT did, for the command set to answer.</summary>
internal enum PersistentReserveOutcome
{
    /// <summary>Done: GOOD.</summary>
    Good = 0,

    /// <summary>RESERVATION CONFLICT: unregistered, wrong key, or reserved by another nexus.</summary>
    Conflict = 1,

    /// <summary>A type other than Write Exclusive: INVALID FIELD IN CDB.</summary>
    InvalidType = 2,

    /// <summary>RELEASE with a type other than the reservation's: INVALID RELEASE OF PERSISTENT RESERVATION.</summary>
    InvalidRelease = 3,

    /// <summary>A service action this target does not implement: INVALID FIELD IN CDB.</summary>
    InvalidServiceAction = 4,
}
