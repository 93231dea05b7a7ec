// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Addressing;

namespace Controller.Target;

/// <summary>One initiator port logged in to one target port (PLOGI, then PRLI for the FCP image pair).</summary>
internal sealed class Login
{
    private bool _implicitlyLoggedOut;

    public Login(TargetPort port, PortId initiator)
    {
        Port = port;
        Initiator = initiator;
    }

    public TargetPort Port { get; }

    public PortId Initiator { get; }

    /// <summary>Gets or sets a value indicating whether PRLI established the FCP image pair (commands allowed).</summary>
    public bool ProcessLoggedIn { get; set; }

    /// <summary>Gets or sets a value indicating whether writes skip FCP_XFER_RDY (negotiated in PRLI).</summary>
    public bool FirstBurst { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a later PLOGI of the same initiator port ID (on any connection) logged
    /// this one out implicitly: its connection treats the port as not logged in. Set from that other connection's reader.
    /// </summary>
    public bool ImplicitlyLoggedOut
    {
        get => Volatile.Read(ref _implicitlyLoggedOut);
        set => Volatile.Write(ref _implicitlyLoggedOut, value);
    }
}
