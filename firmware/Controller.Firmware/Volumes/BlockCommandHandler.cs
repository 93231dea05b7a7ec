// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Queues;

namespace Controller.Firmware.Volumes;

/// <summary>Runs block commands against the LDEV's media, to completion, on the owning MP.</summary>
public sealed class BlockCommandHandler : ICommandHandler<BlockCommand>
{
    /// <inheritdoc/>
    public void Execute(in BlockCommand command)
    {
        MediaStatus status = command.Kind == BlockCommandKind.Write
            ? command.Ldev.Media.Write(command.Lba, command.Buffer.AsSpan())
            : command.Ldev.Media.Read(command.Lba, command.Buffer.AsSpan());
        command.Completion.Complete(command, status);
    }
}
