// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Microsoft.Extensions.Logging;

namespace Controller.Wire.Pcap;

/// <summary>
/// What a rotating trace logs (category <c>Controller.Wire.Pcap.PcapFrameTap</c>): one line per rotation, saying where
/// the full file went. Source-generated: nothing is formatted while the level is off.
/// </summary>
internal static partial class PcapLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "pcap {Path} reached its limit at {Bytes} bytes: now {Part}; a new {NewPath} started (rotation {Rotation})")]
    public static partial void Rotated(ILogger logger, string path, long bytes, string part, string newPath, int rotation);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "pcap {Path} reached its limit at {Bytes} bytes: dropped (--pcap-files 1); a new {NewPath} started (rotation {Rotation})")]
    public static partial void RotatedAndDropped(ILogger logger, string path, long bytes, string newPath, int rotation);
}
