// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Controller.Wire.Pcap;

/// <summary>
/// Records every frame it sees into a pcap trace (LINKTYPE_FC_2), from any number of connections and both
/// directions: a lock serializes the records, so the trace holds one global order.
/// </summary>
/// <remarks>
/// With a size limit (<see cref="Create(string, long, int, ILogger?)"/>) the trace rotates: when the next
/// record would take the file past the limit, the file is closed and renamed FILE.1 (FILE.1 becomes FILE.2 and so
/// on, the oldest beyond the files kept is deleted), and a new FILE starts with its own global header, so every
/// file is a complete trace that tshark reads on its own.
/// </remarks>
public sealed class PcapFrameTap : IFrameTap, IDisposable
{
    /// <summary>The smallest size limit, 64 KiB: many frames to a file (a file always takes its first record, whatever its size).</summary>
    public const long MinimumLimitBytes = 64 * 1024;

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly string? _path;
    private readonly long _limitBytes;
    private readonly int _files;
    private readonly ILogger _logger = NullLogger.Instance;
    private PcapWriter _writer;
    private long _fileBytes;
    private long _bytesWritten;
    private long _framesWritten;
    private int _rotations;
    private bool _disposed;

    /// <summary>Initializes a tap writing to a stream.</summary>
    /// <param name="stream">The trace file.</param>
    /// <param name="time">The clock for the time stamps; the system clock when null.</param>
    public PcapFrameTap(Stream stream, TimeProvider? time = null)
    {
        _writer = new PcapWriter(stream);
        _time = time ?? TimeProvider.System;
        _fileBytes = PcapFormat.GlobalHeaderLength;
        _bytesWritten = PcapFormat.GlobalHeaderLength;
    }

    private PcapFrameTap(string path, long limitBytes, int files, ILogger? logger)
        : this(OpenFile(path))
    {
        _path = path;
        _limitBytes = limitBytes;
        _files = files;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the number of frames recorded (in every file, when the trace rotates).</summary>
    public long FramesRecorded => Interlocked.Read(ref _framesWritten);

    /// <summary>Gets the bytes written: global headers and records, in every file.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Gets how many times the trace has rotated.</summary>
    public int Rotations => Volatile.Read(ref _rotations);

    /// <summary>Creates a tap writing a new file.</summary>
    /// <param name="path">The trace file's path.</param>
    /// <returns>The tap.</returns>
    public static PcapFrameTap Create(string path)
    {
        return new PcapFrameTap(OpenFile(path));
    }

    /// <summary>Creates a tap writing a new file that rotates at a size limit.</summary>
    /// <param name="path">The trace file's path (FILE); older parts become FILE.1, FILE.2 and so on.</param>
    /// <param name="limitBytes">The most bytes in one file (at least <see cref="MinimumLimitBytes"/>), or 0 for no limit.</param>
    /// <param name="files">The files kept, FILE included (at least 1): FILE.1 to FILE.(files - 1) hold the older parts.</param>
    /// <param name="logger">Told each time the trace rotates (<see cref="PcapLog"/>), outside the tap's lock; null logs nothing.</param>
    /// <returns>The tap.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The limit or the file count is out of range.</exception>
    /// <remarks>Parts FILE.1 to FILE.(files - 1) left by an earlier recording are deleted, so every part is of this one.</remarks>
    public static PcapFrameTap Create(string path, long limitBytes, int files, ILogger? logger = null)
    {
        if (limitBytes != 0 && limitBytes < MinimumLimitBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(limitBytes), limitBytes, "a pcap size limit is 0 (none) or at least " + MinimumLimitBytes + " bytes");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(files, 1);
        for (int part = 1; part < files; part++)
        {
            File.Delete(PartPath(path, part));
        }

        return new PcapFrameTap(path, limitBytes, files, logger);
    }

    /// <summary>The name of an older part of a rotating trace.</summary>
    /// <param name="path">The trace's path.</param>
    /// <param name="part">1 for the newest older part.</param>
    /// <returns>FILE.part.</returns>
    public static string PartPath(string path, int part)
    {
        return path + "." + part.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public void OnFrame(ReadOnlySpan<byte> fcFrame)
    {
        long nanoseconds = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        long recordBytes = PcapFormat.RecordHeaderLength + fcFrame.Length;
        long fullBytes = -1;
        int rotation = 0;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            // A file always takes its first record, so a frame larger than the limit still goes somewhere.
            if (_limitBytes != 0 && _fileBytes + recordBytes > _limitBytes && _fileBytes > PcapFormat.GlobalHeaderLength)
            {
                (fullBytes, rotation) = Rotate();
            }

            _writer.WriteFrame(nanoseconds, fcFrame);
            _fileBytes += recordBytes;
            Interlocked.Add(ref _bytesWritten, recordBytes);
            Interlocked.Increment(ref _framesWritten);
        }

        if (fullBytes >= 0)
        {
            if (_files == 1)
            {
                PcapLog.RotatedAndDropped(_logger, _path!, fullBytes, _path!, rotation);
            }
            else
            {
                PcapLog.Rotated(_logger, _path!, fullBytes, PartPath(_path!, 1), _path!, rotation);
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

    private static FileStream OpenFile(string path)
    {
        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
    }

    // Under the lock: closes the full file, shifts the older parts up by one (the oldest kept is overwritten or,
    // with one file kept, the full file itself is dropped), and starts a new file with its own global header.
    private (long FullBytes, int Rotation) Rotate()
    {
        string path = _path!;
        long fullBytes = _fileBytes;
        _writer.Dispose();
        if (_files == 1)
        {
            File.Delete(path);
        }
        else
        {
            for (int part = _files - 1; part >= 1; part--)
            {
                string from = part == 1 ? path : PartPath(path, part - 1);
                if (File.Exists(from))
                {
                    File.Move(from, PartPath(path, part), overwrite: true);
                }
            }

        }

        _writer = new PcapWriter(OpenFile(path));
        _fileBytes = PcapFormat.GlobalHeaderLength;
        Interlocked.Add(ref _bytesWritten, PcapFormat.GlobalHeaderLength);
        return (fullBytes, Interlocked.Increment(ref _rotations));
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
