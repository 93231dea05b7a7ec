// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.RemoteCopy;

/// <summary>
/// When a remote mirror's P-VOL refuses host writes because its S-VOL cannot be updated (TrueCopy's fence level,
/// CCI <c>paircreate -f</c>). The level "status" of the vendor products is not modelled.
/// </summary>
public enum FenceLevel
{
    /// <summary>Never fenced: a write the S-VOL could not take is acknowledged, marked and resynced later.</summary>
    Never = 0,

    /// <summary>
    /// Fenced on data: a write whose update copy fails is answered with an error, and while the pair is suspended by
    /// error (PSUE) every host write to the P-VOL is refused, so the P-VOL never runs ahead of its S-VOL unnoticed.
    /// </summary>
    Data = 1,
}
