// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.Transport;

namespace Controller.Daemon;

/// <summary>
/// A frame tap whose recorder is given later: the remote-copy paths are made with the controller, before the kept
/// remote pairs that follow them are restored, and the trace is opened only once the controller is built (a start
/// refused for its configuration leaves an earlier trace alone). Frames before then go nowhere; a path sends none
/// until it is started, after the recorder is set.
/// </summary>
internal sealed class LateFrameTap : IFrameTap
{
    private IFrameTap? _recorder;

    /// <summary>Gets or sets where frames go.</summary>
    public IFrameTap? Recorder
    {
        get => Volatile.Read(ref _recorder);
        set => Volatile.Write(ref _recorder, value);
    }

    /// <inheritdoc/>
    public void OnFrame(ReadOnlySpan<byte> fcFrame)
    {
        Recorder?.OnFrame(fcFrame);
    }
}
