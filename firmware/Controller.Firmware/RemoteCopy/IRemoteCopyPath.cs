// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Firmware.RemoteCopy;

/// <summary>
/// A remote-copy link from this subsystem (the primary, an initiator) to a peer subsystem (the secondary): update
/// copies on the data path, pair control on the control plane. Two implementations: FCP exchanges from an initiator
/// port to the peer's target port (Controller.Target, over TCP or in-process pipes), and
/// <see cref="ScheduledRemotePath"/>, which delivers the same messages on a scheduler (deterministic tests, fault
/// injection). The core never blocks on a path.
/// </summary>
public interface IRemoteCopyPath
{
    /// <summary>Gets the path's name, for logs and pairdisplay.</summary>
    string Name { get; }

    /// <summary>Gets whether the path is up (logged in to the peer).</summary>
    bool IsUp { get; }

    /// <summary>Raised when the path goes down or comes back up (the argument: up). On any thread.</summary>
    event Action<bool>? StateChanged;

    /// <summary>Tells whether a port ID belongs to the peer this path reaches.</summary>
    /// <param name="port">A target port ID.</param>
    /// <returns>True for a port of the peer.</returns>
    bool Reaches(PortId port);

    /// <summary>
    /// Sends an update copy. Called on an MP: never blocks. The completion is told exactly once, possibly before
    /// this returns (a link that is down answers at once).
    /// </summary>
    /// <param name="update">The update; its data stays valid until the completion.</param>
    /// <param name="completion">Told when the peer has it, refused it, or the link failed.</param>
    void SendUpdate(in RemoteUpdate update, IRemoteUpdateCompletion completion);

    /// <summary>Sends a pair-control message; the reply comes exactly once, on any thread.</summary>
    /// <param name="request">The message.</param>
    /// <param name="reply">Told the peer's answer, or a link-down reply.</param>
    void SendControl(RemoteControl request, Action<RemoteControlReply> reply);
}
