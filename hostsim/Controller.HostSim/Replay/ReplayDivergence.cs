// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Initiator;
using Controller.Traces;

namespace Controller.HostSim.Replay;

/// <summary>An exchange whose replayed answer differs from the recorded one.</summary>
/// <param name="Exchange">The exchange.</param>
/// <param name="Recorded">The answer in the trace.</param>
/// <param name="Replayed">The answer now.</param>
/// <param name="ReplayedChecksum">The checksum of the read data now.</param>
internal sealed record ReplayDivergence(TraceExchange Exchange, RecordedResponse Recorded, ScsiResult Replayed, ulong ReplayedChecksum)
{
    /// <summary>Gets what differs when the answers are compared field by field (PAIR STATUS), or null.</summary>
    public string? Detail { get; init; }

    /// <summary>Gets what differs, in words.</summary>
    public string Description
    {
        get
        {
            if (Detail is not null)
            {
                return Exchange + ": " + Detail;
            }

            RecordedResponse now = new(Replayed.Status, Replayed.Sense, Replayed.ResponseCode, Replayed.DataInLength, ReplayedChecksum);
            return Exchange + ": recorded " + Recorded + "; replayed " + now;
        }
    }
}
