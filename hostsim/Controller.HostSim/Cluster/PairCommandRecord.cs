// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Cluster;

/// <summary>
/// One pair command of the paired volume control software, as R2-28 logs it: host, volume, the attribute and state
/// before, the storage's response (NORMAL END or ABNORMAL END, with its reason), the attribute and state after.
/// </summary>
/// <param name="At">When it was answered, from the scenario's start.</param>
/// <param name="Host">"H1" or "H2".</param>
/// <param name="Request">What the clustering software asked (RESERVE, RELEASE, RESET, TAKEOVER).</param>
/// <param name="Command">The pair command sent (PAIR RESYNCHRONIZATION, ...), or "none" when none was needed.</param>
/// <param name="Volume">The volume it was sent to.</param>
/// <param name="Before">The volume's attribute and state before.</param>
/// <param name="NormalEnd">True for NORMAL END.</param>
/// <param name="Response">The storage's answer in words.</param>
/// <param name="After">The volume's attribute and state after.</param>
internal sealed record PairCommandRecord(TimeSpan At, string Host, string Request, string Command, string Volume, VolumeView Before, bool NormalEnd, string Response, VolumeView After)
{
    /// <summary>Gets when the pair command was sent to the storage, from the scenario's start (<see cref="At"/> when none was sent).</summary>
    public TimeSpan Sent { get; init; } = At;

    /// <summary>Gets the response as FIG 4 prints it.</summary>
    public string Ending => NormalEnd ? "NORMAL END" : "ABNORMAL END";

    /// <summary>Gets why an ABNORMAL END: the pair error's name the response ends with in parentheses (e.g. "CopyInProgress"), else the whole response.</summary>
    public string Reason
    {
        get
        {
            int open = Response.LastIndexOf('(');
            return open >= 0 && Response.EndsWith(')') ? Response[(open + 1)..^1] : Response;
        }
    }
}
