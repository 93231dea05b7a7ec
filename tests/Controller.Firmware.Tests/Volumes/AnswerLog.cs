// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Volumes;

/// <summary>
/// Records the answer of each host command by tag, and, for a write, whether its data was durable on every watched
/// device at the moment of the answer (the question a power cut right after the GOOD asks).
/// </summary>
internal sealed class AnswerLog : IBlockCommandCompletion
{
    private readonly Dictionary<long, Answer> _answers = [];

    /// <summary>Gets or sets the devices whose durability of the command's LBA is checked at the answer.</summary>
    public IReadOnlyList<SyncRecordingDevice> Watched { get; set; } = [];

    public int Count => _answers.Count;

    public bool IsAnswered(long tag)
    {
        return _answers.ContainsKey(tag);
    }

    public Answer this[long tag] => _answers[tag];

    public void Complete(in BlockCommand command, MediaStatus status)
    {
        Assert.That(_answers.ContainsKey(command.Tag), Is.False, "command " + command.Tag + " is answered once");
        // A write: its own data is durable. A SYNCHRONIZE CACHE: every write returned so far is.
        bool durable = true;
        foreach (SyncRecordingDevice device in Watched)
        {
            durable &= command.Kind == BlockCommandKind.Write ? device.IsDurable(command.Lba) : device.DurableThrough == device.WritesReturned;
        }

        _answers[command.Tag] = new Answer(command.Kind, status, durable);
    }

    internal sealed record Answer(BlockCommandKind Kind, MediaStatus Status, bool DurableAtAnswer);
}
