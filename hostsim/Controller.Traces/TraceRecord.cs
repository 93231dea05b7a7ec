// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces;

/// <summary>
/// One I/O of a block trace, in the units every format converts to: time in nanoseconds from the trace's own
/// origin, byte offset and length on a device named as the trace names it.
/// </summary>
/// <param name="TimeNanoseconds">When the I/O was issued, in nanoseconds on the trace's clock (its origin is the format's).</param>
/// <param name="Device">The device as the trace names it: a file name, a device number, "host/disk".</param>
/// <param name="Operation">Read, write or flush.</param>
/// <param name="Offset">The first byte (0 for a flush).</param>
/// <param name="Length">The number of bytes (0 for a flush).</param>
/// <param name="Line">The line (or, for a binary trace, the record number) it came from, for messages.</param>
public readonly record struct TraceRecord(long TimeNanoseconds, string Device, TraceOperation Operation, long Offset, long Length, long Line);
