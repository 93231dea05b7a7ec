// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces;

/// <summary>One device of an imported trace: the volume it became and what it carried.</summary>
public sealed class ImportedDevice
{
    /// <summary>Initializes a device.</summary>
    /// <param name="name">The device as the trace names it.</param>
    /// <param name="volume">The volume it became.</param>
    public ImportedDevice(string name, TraceVolume volume)
    {
        Name = name;
        Volume = volume;
    }

    /// <summary>Gets the device as the trace names it.</summary>
    public string Name { get; }

    /// <summary>Gets the volume (port ID, LUN) it became.</summary>
    public TraceVolume Volume { get; }

    /// <summary>Gets the commands written for it.</summary>
    public long Commands { get; internal set; }

    /// <summary>Gets the block after the last one any command touches: the capacity a replay target needs, in 512-byte blocks.</summary>
    public long EndBlock { get; internal set; }
}
