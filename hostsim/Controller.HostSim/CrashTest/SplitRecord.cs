// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>A split the crash test sent (one pair, or an atomic split): its members and when it was sent and answered.</summary>
internal sealed class SplitRecord
{
    /// <summary>Initializes a record.</summary>
    /// <param name="description">What was sent, for reports.</param>
    /// <param name="members">The pairs split.</param>
    /// <param name="issuedAt">The tick before it was sent.</param>
    public SplitRecord(string description, IReadOnlyList<PairModel> members, long issuedAt)
    {
        Description = description;
        Members = members;
        IssuedAt = issuedAt;
    }

    /// <summary>Gets what was sent.</summary>
    public string Description { get; }

    /// <summary>Gets the pairs split.</summary>
    public IReadOnlyList<PairModel> Members { get; }

    /// <summary>Gets the tick before it was sent.</summary>
    public long IssuedAt { get; }

    /// <summary>Gets or sets the tick after its GOOD arrived; 0 while unanswered (the kill came first).</summary>
    public long AnsweredAt { get; set; }
}
