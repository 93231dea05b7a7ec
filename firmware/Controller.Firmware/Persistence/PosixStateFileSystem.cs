// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Persistence;

/// <summary>
/// The real file system under the kept pair state: <see cref="FileStream"/>s synced with fsync
/// (<c>Flush(flushToDisk: true)</c>), <see cref="File.Move(string, string, bool)"/> for the atomic replace and
/// <see cref="PosixDirectory"/> for the directory sync that makes a rename durable.
/// </summary>
public sealed class PosixStateFileSystem : IStateFileSystem
{
    /// <summary>The one instance (it holds nothing).</summary>
    public static readonly PosixStateFileSystem Instance = new();

    private PosixStateFileSystem()
    {
    }

    /// <inheritdoc/>
    public void CreateDirectory(string path)
    {
        Directory.CreateDirectory(path);
    }

    /// <inheritdoc/>
    public bool Exists(string path)
    {
        return File.Exists(path);
    }

    /// <inheritdoc/>
    public byte[] ReadAll(string path)
    {
        return File.ReadAllBytes(path);
    }

    /// <inheritdoc/>
    public IStateFile Create(string path)
    {
        return new StreamFile(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read));
    }

    /// <inheritdoc/>
    public IStateFile OpenAppend(string path)
    {
        FileStream stream = new(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        stream.Seek(0, SeekOrigin.End);
        return new StreamFile(stream);
    }

    /// <inheritdoc/>
    public void Move(string source, string destination)
    {
        File.Move(source, destination, overwrite: true);
    }

    /// <inheritdoc/>
    public void Delete(string path)
    {
        File.Delete(path);
    }

    /// <inheritdoc/>
    public void SyncDirectory(string path)
    {
        PosixDirectory.Sync(path);
    }

    private sealed class StreamFile(FileStream stream) : IStateFile
    {
        public void Append(ReadOnlySpan<byte> data)
        {
            stream.Write(data);
        }

        public void SetLength(long length)
        {
            stream.SetLength(length);
            stream.Seek(length, SeekOrigin.Begin);
        }

        public void WriteAt(long offset, ReadOnlySpan<byte> data)
        {
            // Past the stream's buffer: what was appended is written first, so the two never cross.
            stream.Flush();
            RandomAccess.Write(stream.SafeFileHandle, data, offset);
        }

        public void Sync()
        {
            stream.Flush(flushToDisk: true);
        }

        public void Dispose()
        {
            stream.Dispose();
        }
    }
}
