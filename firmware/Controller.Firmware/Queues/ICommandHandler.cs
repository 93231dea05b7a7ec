// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Queues;

/// <summary>Runs one command to completion on the MP that owns its LDEV.</summary>
/// <typeparam name="TCommand">The command type.</typeparam>
public interface ICommandHandler<TCommand>
    where TCommand : struct
{
    /// <summary>Runs the command, including its completion; must not block on another MP.</summary>
    /// <param name="command">The command, taken from the queue.</param>
    void Execute(in TCommand command);
}
