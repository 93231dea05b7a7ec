// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.RemoteCopy;

/// <summary>
/// The vendor-specific commands of the remote-copy link (docs/remote-copy.md): sent by a primary's initiator port to
/// a target port of its secondary, never by a host. A target answers them only from initiators configured as
/// remote-copy peers.
/// </summary>
public static class RemoteCopyOpcode
{
    /// <summary>RC UPDATE COPY (data-out): one host write or one copied track for a remote pair's S-VOL.</summary>
    public const byte UpdateCopy = 0xE0;

    /// <summary>RC PAIR CONTROL (data-out, a 32-byte parameter list): create, set state, delete the S side of a pair.</summary>
    public const byte PairControl = 0xE1;

    /// <summary>RC RESYNC (data-in): the S side enters COPY(RS) and returns its differential bitmap.</summary>
    public const byte Resync = 0xE2;

    /// <summary>Tells whether an operation code is a remote-copy command.</summary>
    /// <param name="opcode">The CDB's first byte.</param>
    /// <returns>True for 0xE0 to 0xE2.</returns>
    public static bool IsRemoteCopy(byte opcode)
    {
        return opcode is UpdateCopy or PairControl or Resync;
    }

    /// <summary>Gets a command's name, as the Wireshark plug-in shows it.</summary>
    /// <param name="opcode">The operation code.</param>
    /// <returns>The name.</returns>
    public static string GetName(byte opcode)
    {
        return opcode switch
        {
            UpdateCopy => "RC UPDATE COPY",
            PairControl => "RC PAIR CONTROL",
            Resync => "RC RESYNC",
            _ => "opcode 0x" + opcode.ToString("X2", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
