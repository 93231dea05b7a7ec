// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.RemoteCopy;

/// <summary>Told once when an update copy sent over the link has ended.</summary>
public interface IRemoteUpdateCompletion
{
    /// <summary>The update ended; on any thread (a link's reader, a scheduler worker). Must not block.</summary>
    /// <param name="status">Good: the S-VOL (and its cascades) have it.</param>
    /// <param name="error">For <see cref="RemoteStatus.Refused"/>: why.</param>
    void Completed(RemoteStatus status, PairErrorCode error);
}
