// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Queues;

namespace Controller.Firmware.Volumes;

/// <summary>
/// The MP's command handler as a volume's gates see it (<see cref="WriteIntent"/>, <see cref="HoldGate"/>): a write
/// parked before it took a number is run again in full (<see cref="ICommandHandler{T}.Execute"/>) or answered with
/// an error. Only parked writes come here, so the interface call is off the common path.
/// </summary>
internal interface IParkedWriteHandler : ICommandHandler<BlockCommand>
{
    /// <summary>Answers a parked host write without running it (its region's intent could not be kept).</summary>
    /// <param name="command">The write.</param>
    /// <param name="status">The answer.</param>
    void AnswerParked(in BlockCommand command, MediaStatus status);
}
