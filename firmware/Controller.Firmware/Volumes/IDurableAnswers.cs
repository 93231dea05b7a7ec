// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Volumes;

/// <summary>
/// Where a <see cref="GroupCommit"/> gives the answers it held: the write path (<c>WritePath.BlockCommandHandler</c>), or
/// a test's log. An interface so the group commit can be driven alone, one sync at a time, in tests.
/// </summary>
internal interface IDurableAnswers
{
    /// <summary>Gives an answer held for a sync.</summary>
    /// <param name="ack">The held answer.</param>
    /// <param name="status">Good when a sync that began after its write returned succeeded; MediumError after a failed sync.</param>
    void OnDurable(in DurableAck ack, MediaStatus status);
}
