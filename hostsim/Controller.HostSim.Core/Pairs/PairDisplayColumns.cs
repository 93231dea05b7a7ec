// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Pairs;

/// <summary>Which columns <see cref="PairDisplay.ToText"/> shows.</summary>
public enum PairDisplayColumns
{
    /// <summary>Every column of a PAIR STATUS row, with the local side of a remote pair and the tracks the last copy copied: <c>hostsim pair status</c>.</summary>
    Host,

    /// <summary>The columns of the controller's own pairdisplay of issue #3, without the copy count and with a narrower type: the demo's mirror phase.</summary>
    Controller,
}
