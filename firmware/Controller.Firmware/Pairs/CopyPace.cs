// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>
/// How fast the copy engine may go, so host I/O keeps priority. A copy runs in steps on the source volume's MP,
/// each of at most <see cref="TracksPerStep"/> tracks; the next step is queued behind the host commands that
/// arrived meanwhile, and, with a rate limit, only after the time the last step's bytes take at that rate.
/// </summary>
public sealed record CopyPace
{
    /// <summary>The default: 16 tracks (1 MiB at 64 KiB tracks) per step, no rate limit.</summary>
    public static readonly CopyPace Default = new();

    private readonly int _tracksPerStep = 16;
    private readonly long _bytesPerSecond;

    /// <summary>Gets the most tracks one step copies (1 or more): the share of MP time a copy takes between host commands.</summary>
    public int TracksPerStep
    {
        get => _tracksPerStep;
        init => _tracksPerStep = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a copy step copies at least one track");
    }

    /// <summary>Gets the copy rate limit in bytes per second per copy; 0 means as fast as the MPs allow.</summary>
    public long BytesPerSecond
    {
        get => _bytesPerSecond;
        init => _bytesPerSecond = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a copy rate cannot be negative");
    }
}
