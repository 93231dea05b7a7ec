// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Scheduling;

/// <summary>
/// A unit of work a scheduler runs: an MP draining its queue, a copy-engine step, a timer's action.
/// It is a thread-pool work item as well, so the real-time scheduler queues it without allocating.
/// </summary>
public interface IWorkItem : IThreadPoolWorkItem
{
}
