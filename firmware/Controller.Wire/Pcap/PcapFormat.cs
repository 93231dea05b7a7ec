// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Pcap;

/// <summary>
/// The numbers of the classic libpcap file format (not pcapng). A file is a 24-byte global header followed by
/// records, each a 16-byte record header and the captured bytes:
/// <code>
/// global header   0  magic (4)          0xA1B2C3D4 microseconds, 0xA1B23C4D nanoseconds; its byte order is the file's
///                 4  version (2 + 2)    2.4
///                 8  thiszone (4)       0
///                12  sigfigs (4)        0
///                16  snaplen (4)        the largest captured length of a record
///                20  link type (4)      224: FC-2 frames
/// record header   0  seconds (4)        since the Unix epoch
///                 4  fraction (4)       microseconds or nanoseconds, by the magic
///                 8  captured length (4)
///                12  original length (4)
/// </code>
/// </summary>
public static class PcapFormat
{
    /// <summary>The magic of a file whose time stamps carry microseconds.</summary>
    public const uint MagicMicroseconds = 0xA1B2C3D4;

    /// <summary>The magic of a file whose time stamps carry nanoseconds.</summary>
    public const uint MagicNanoseconds = 0xA1B23C4D;

    /// <summary>The first four bytes of a pcapng file (a Section Header Block), recognised only to say so.</summary>
    public const uint MagicPcapng = 0x0A0D0D0A;

    /// <summary>The major version every libpcap file since 1998 carries.</summary>
    public const ushort VersionMajor = 2;

    /// <summary>The minor version written.</summary>
    public const ushort VersionMinor = 4;

    /// <summary>The global header's length in bytes.</summary>
    public const int GlobalHeaderLength = 24;

    /// <summary>The record header's length in bytes.</summary>
    public const int RecordHeaderLength = 16;

    /// <summary>
    /// LINKTYPE_FC_2 (DLT_FC_2): each record is one FC-2 frame starting with its 24-byte frame header, payload
    /// after it, no SOF, EOF or CRC. Wireshark decodes it as Fibre Channel, then FCP and SCSI.
    /// </summary>
    /// <remarks>
    /// Checked with tshark 4.0 (its encapsulation "Fibre Channel FC-2"): a record that starts at R_CTL decodes in
    /// full. Wireshark neither expects nor checks a CRC here (link type 225 is the one with delimiters) and ignores
    /// bytes after the FCP payload, so a CRC appended by mistake would go unnoticed in its display; the golden
    /// record test of <see cref="PcapWriter"/> guards that instead.
    /// </remarks>
    public const int LinkTypeFc2 = 224;

    /// <summary>The snapshot length written: far above the largest FC frame (2136 bytes), so nothing is cut.</summary>
    public const int DefaultSnapLength = 65535;

    /// <summary>
    /// The largest snapshot length a reader honours (libpcap's MAXIMUM_SNAPLEN); a header that says 0, or more than
    /// this, is read as this, as libpcap does. It also bounds the reader's buffer when a record header is corrupt.
    /// </summary>
    public const int MaxSnapLength = 262144;

    /// <summary>Nanoseconds in a second.</summary>
    public const long NanosecondsPerSecond = 1_000_000_000;
}
