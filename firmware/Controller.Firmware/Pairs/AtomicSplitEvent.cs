// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>One step of an atomic split in the Copy Management Table's split log (R0-35).</summary>
/// <param name="Time">When, on the controller's clock.</param>
/// <param name="Sequence">The write sequence number then.</param>
/// <param name="SplitId">The split's number in this controller (from 1).</param>
/// <param name="Phase">The step.</param>
/// <param name="Detail">What happened (members, held writes, the reason of an abort).</param>
public readonly record struct AtomicSplitEvent(DateTimeOffset Time, long Sequence, int SplitId, AtomicSplitPhase Phase, string Detail);
