// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Persistence;

/// <summary>
/// A state file open for appending (<see cref="IStateFileSystem"/>): the checkpoint being written, or the journal.
/// </summary>
public interface IStateFile : IDisposable
{
    /// <summary>Appends bytes at the end (not durable until <see cref="Sync"/>).</summary>
    /// <param name="data">The bytes.</param>
    void Append(ReadOnlySpan<byte> data);

    /// <summary>Cuts (or extends) the file to a length; the next append goes there (not durable until <see cref="Sync"/>).</summary>
    /// <param name="length">The new length in bytes.</param>
    void SetLength(long length);

    /// <summary>Writes bytes at an offset, over what is there (not durable until <see cref="Sync"/>); the end stays where appends go.</summary>
    /// <param name="offset">The offset in bytes.</param>
    /// <param name="data">The bytes.</param>
    void WriteAt(long offset, ReadOnlySpan<byte> data);

    /// <summary>Makes the file's data and length durable (fsync): returns once they are on stable storage.</summary>
    void Sync();
}
