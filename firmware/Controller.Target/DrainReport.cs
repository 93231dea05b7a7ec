// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target;

/// <summary>What a graceful stop of a listener (<see cref="FcipListener.StopAsync"/>) did, counted on its connections.</summary>
/// <param name="Connections">The connections open when the stop began.</param>
/// <param name="InFlightAtStop">The commands outstanding when the stop began.</param>
/// <param name="Answered">The commands answered during the stop (those in flight, completed or failed with a status).</param>
/// <param name="Refused">The new commands refused during the stop (NOT READY, target port unavailable).</param>
/// <param name="Unanswered">The commands still outstanding when the stop timeout ran out (0 when it drained).</param>
/// <param name="StillInFlight">Up to ten of the unanswered commands, described by connection, OX_ID, operation code and phase.</param>
/// <param name="DrainTime">From the stop's start until the last command in flight was answered (or the timeout ran out), before the connections closed.</param>
public sealed record DrainReport(int Connections, int InFlightAtStop, int Answered, int Refused, int Unanswered, IReadOnlyList<string> StillInFlight, TimeSpan DrainTime)
{
    /// <summary>Gets a value indicating whether every command accepted before the stop was answered.</summary>
    public bool Drained => Unanswered == 0;
}
