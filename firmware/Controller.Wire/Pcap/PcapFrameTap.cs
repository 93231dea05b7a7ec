// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.Transport;

namespace Controller.Wire.Pcap;

/// <summary>
/// Records every frame it sees into a pcap trace (LINKTYPE_FC_2), from any number of connections and both
/// directions: a lock serializes the records, so the trace holds one global order.
/// </summary>
public sealed class PcapFrameTap : IFrameTap, IDisposable
{
    private readonly PcapWriter _writer;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Initializes a tap writing to a stream.</summary>
    /// <param name="stream">The trace file.</param>
    /// <param name="time">The clock for the time stamps; the system clock when null.</param>
    public PcapFrameTap(Stream stream, TimeProvider? time = null)
    {
        _writer = new PcapWriter(stream);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Gets the number of frames recorded.</summary>
    public long FramesRecorded
    {
        get
        {
            lock (_lock)
            {
                return _writer.RecordsWritten;
            }
        }
    }

    /// <summary>Creates a tap writing a new file.</summary>
    /// <param name="path">The trace file's path.</param>
    /// <returns>The tap.</returns>
    public static PcapFrameTap Create(string path)
    {
        return new PcapFrameTap(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read));
    }

    /// <inheritdoc/>
    public void OnFrame(ReadOnlySpan<byte> fcFrame)
    {
        long nanoseconds = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        lock (_lock)
        {
            if (!_disposed)
            {
                _writer.WriteFrame(nanoseconds, fcFrame);
            }
        }
    }

    /// <summary>Writes buffered records to the file.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _writer.Flush();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _disposed = true;
                _writer.Dispose();
            }
        }
    }
}
