// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Persistence;

/// <summary>
/// The file calls the kept pair state makes (docs/durability.md), as a boundary: <see cref="PosixStateFileSystem"/>
/// is the real file system, <see cref="PowerCutFileSystem"/> a model of what a Linux file system keeps across a
/// power cut, so that the state's sync discipline can be tested by cutting the power. The contract is POSIX's: file
/// data is durable only after <see cref="IStateFile.Sync"/>; a create, a rename or a delete only after
/// <see cref="SyncDirectory"/> of its directory.
/// </summary>
public interface IStateFileSystem
{
    /// <summary>Creates a directory (and its parents) if it does not exist.</summary>
    /// <param name="path">The directory.</param>
    void CreateDirectory(string path);

    /// <summary>Tells whether a file exists.</summary>
    /// <param name="path">The file.</param>
    /// <returns>True when it does.</returns>
    bool Exists(string path);

    /// <summary>Reads a whole file (what a reader sees now, synced or not).</summary>
    /// <param name="path">The file.</param>
    /// <returns>Its bytes.</returns>
    byte[] ReadAll(string path);

    /// <summary>Creates a file, or truncates an existing one to nothing (O_CREAT | O_TRUNC), for appending.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The open file; appends go at its end.</returns>
    IStateFile Create(string path);

    /// <summary>Opens an existing file for appending.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The open file; appends go at its end.</returns>
    IStateFile OpenAppend(string path);

    /// <summary>Renames a file over another (rename(2): atomic, and durable once the directory is synced).</summary>
    /// <param name="source">The file's name now.</param>
    /// <param name="destination">Its new name; a file there is replaced.</param>
    void Move(string source, string destination);

    /// <summary>Deletes a file if it exists (durable once the directory is synced).</summary>
    /// <param name="path">The file.</param>
    void Delete(string path);

    /// <summary>Syncs a directory (fsync of the directory): the creates, renames and deletes in it so far are durable.</summary>
    /// <param name="path">The directory.</param>
    void SyncDirectory(string path);
}
