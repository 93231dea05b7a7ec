// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>What became of a write the crash test sent.</summary>
internal enum WriteOutcome
{
    /// <summary>Sent, no answer yet.</summary>
    InFlight,

    /// <summary>Answered GOOD: it must be readable.</summary>
    Acknowledged,

    /// <summary>The kill came before its answer: old or new content, nothing else.</summary>
    InDoubt,

    /// <summary>Answered BUSY or TASK SET FULL, or DATA PROTECT where the run expects it (a swapped determining pair's old P-VOL): not run (the old content stays).</summary>
    Refused,

    /// <summary>Answered with another status: a failure of the run (counted), its content in doubt.</summary>
    NotGood,
}
