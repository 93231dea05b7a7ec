// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.RemoteCopy;

/// <summary>
/// The vendor-specific commands of the remote-copy link (docs/remote-copy.md): sent by a primary's initiator port to
/// a target port of its secondary (and RC PAIR CONTROL kind 10 with the READ BITMAP after it the other way, from a
/// secondary to the pair's owner), never by a host. A target answers them only from initiators configured as
/// remote-copy peers.
/// </summary>
public static class RemoteCopyOpcode
{
    /// <summary>RC UPDATE COPY (data-out): one host write or one copied track for a remote pair's S-VOL.</summary>
    public const byte UpdateCopy = 0xE0;

    /// <summary>RC PAIR CONTROL (data-out, a 32-byte header and a tail): create, set state, delete the S side of a pair; names, split messages; a pair command passed to the owner.</summary>
    public const byte PairControl = 0xE1;

    /// <summary>RC RESYNC (data-in): the S side enters COPY(RS) and returns its differential bitmap.</summary>
    public const byte Resync = 0xE2;

    /// <summary>
    /// RC READ BITMAP (data-in, the CDB of RC RESYNC): the bitmap a subsystem set aside with its answer to an RC PAIR
    /// CONTROL (a no-copy create: what changed on the S-VOL since the split; an accepted swap resync, at the old owner:
    /// what changed on its P-VOL).
    /// </summary>
    public const byte ReadBitmap = 0xE3;

    /// <summary>
    /// RC AUTHENTICATE: the primary proves it holds the peer's key before any other remote-copy command is taken
    /// (<see cref="RemoteCopyAuthentication"/>): step 1 (data-in) fetches the secondary's challenge, step 2 (data-out)
    /// answers it.
    /// </summary>
    public const byte Authenticate = 0xE4;

    /// <summary>Tells whether an operation code is a remote-copy command.</summary>
    /// <param name="opcode">The CDB's first byte.</param>
    /// <returns>True for 0xE0 to 0xE4.</returns>
    public static bool IsRemoteCopy(byte opcode)
    {
        return opcode is UpdateCopy or PairControl or Resync or ReadBitmap or Authenticate;
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
            ReadBitmap => "RC READ BITMAP",
            Authenticate => "RC AUTHENTICATE",
            _ => "opcode 0x" + opcode.ToString("X2", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
