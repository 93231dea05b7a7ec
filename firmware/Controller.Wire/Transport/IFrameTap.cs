// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Transport;

/// <summary>Sees every FC frame a connection sends or receives, e.g. to record a pcap trace.</summary>
public interface IFrameTap
{
    /// <summary>Called with one FC frame (header and payload, fill bytes included). Must not keep the span.</summary>
    /// <param name="fcFrame">The frame.</param>
    void OnFrame(ReadOnlySpan<byte> fcFrame);
}
