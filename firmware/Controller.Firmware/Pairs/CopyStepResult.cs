// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Pairs;

/// <summary>What one copy step did.</summary>
/// <param name="TracksCopied">Tracks copied in this step.</param>
/// <param name="Done">True when the copy set was found empty: nothing is left to copy.</param>
/// <param name="Status">Good, or the media error that stopped the step (the failed track is marked again).</param>
public readonly record struct CopyStepResult(int TracksCopied, bool Done, MediaStatus Status);
