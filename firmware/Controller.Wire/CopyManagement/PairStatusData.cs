// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;

namespace Controller.Wire.CopyManagement;

/// <summary>
/// The data-in of PAIR STATUS (docs/protocol.md): an 8-byte header (ROW DATA LENGTH, 4 bytes: 96 x the number of
/// rows; the number of rows, 2; the row length 96, 2), then as many whole 96-byte rows as fit in the ALLOCATION
/// LENGTH. The reader also takes the 80-byte rows (row length 80) of a target from before the copy counts. The
/// header always counts every row, as REPORT LUNS does, so an initiator whose allocation was too short sees it
/// and asks again with <see cref="GetLength"/>.
/// </summary>
public static class PairStatusData
{
    /// <summary>The header's length.</summary>
    public const int HeaderLength = 8;

    /// <summary>The most rows the header's 2-byte count carries.</summary>
    public const int MaxRows = ushort.MaxValue;

    /// <summary>Gets the allocation length that takes every row.</summary>
    /// <param name="rowCount">The number of rows (0 to <see cref="MaxRows"/>).</param>
    /// <returns>8 + 96 x <paramref name="rowCount"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The count does not fit the 2-byte field.</exception>
    public static int GetLength(int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowCount, MaxRows);
        return HeaderLength + (rowCount * PairStatusRow.Length);
    }

    /// <summary>Gets the bytes <see cref="TryWrite"/> returns for an allocation length: the header (cut short below 8) and the whole rows that fit.</summary>
    /// <param name="rowCount">The number of rows (0 to <see cref="MaxRows"/>).</param>
    /// <param name="allocationLength">The CDB's ALLOCATION LENGTH.</param>
    /// <returns>The data-in length.</returns>
    public static int GetTransferLength(int rowCount, uint allocationLength)
    {
        int full = GetLength(rowCount);
        if (allocationLength >= (uint)full)
        {
            return full;
        }

        if (allocationLength <= HeaderLength)
        {
            return (int)allocationLength;
        }

        // Only whole rows: a row cut in the middle would be a row the initiator cannot read.
        return HeaderLength + ((int)(allocationLength - HeaderLength) / PairStatusRow.Length * PairStatusRow.Length);
    }

    /// <summary>Encodes the PAIR STATUS data for an allocation length.</summary>
    /// <param name="rows">Every row of the Copy Management Table, in order.</param>
    /// <param name="allocationLength">The CDB's ALLOCATION LENGTH.</param>
    /// <param name="destination">At least <see cref="GetTransferLength"/> bytes.</param>
    /// <param name="bytesWritten">The data-in length, when true.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False for more than <see cref="MaxRows"/> rows, a row that cannot be encoded (even one past the allocation length, so a bad table is never hidden by a short allocation), or a short destination.</returns>
    public static bool TryWrite(ReadOnlySpan<PairStatusRow> rows, uint allocationLength, Span<byte> destination, out int bytesWritten, out string? reason)
    {
        bytesWritten = 0;
        if (rows.Length > MaxRows)
        {
            reason = "PAIR STATUS carries at most " + MaxRows + " rows, not " + rows.Length;
            return false;
        }

        int length = GetTransferLength(rows.Length, allocationLength);
        if (destination.Length < length)
        {
            reason = "PAIR STATUS of " + length + " bytes does not fit the " + destination.Length + "-byte buffer";
            return false;
        }

        // Every row is checked into a scratch row first; the destination is written only once all of them pass.
        Span<byte> scratch = stackalloc byte[PairStatusRow.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            if (!rows[i].TryWrite(scratch, out reason))
            {
                reason = "PAIR STATUS row " + i + ": " + reason;
                return false;
            }
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(rows.Length * PairStatusRow.Length));
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], (ushort)rows.Length);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], PairStatusRow.Length);
        header[..Math.Min(length, HeaderLength)].CopyTo(destination);
        int written = Math.Max(0, length - HeaderLength) / PairStatusRow.Length;
        for (int i = 0; i < written; i++)
        {
            rows[i].TryWrite(destination.Slice(HeaderLength + (i * PairStatusRow.Length), PairStatusRow.Length));
        }

        bytesWritten = length;
        reason = null;
        return true;
    }

    /// <summary>Decodes the PAIR STATUS data an initiator received.</summary>
    /// <param name="data">The data-in bytes (the allocation length less the residual).</param>
    /// <param name="rows">The rows that came, in order, when true.</param>
    /// <param name="totalRows">The number of rows the table has, when true: more than <paramref name="rows"/> holds means the allocation length cut the data short; ask again with <see cref="GetLength"/>(<paramref name="totalRows"/>).</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False for data shorter than the header, a header whose lengths disagree, bytes that are not whole rows or more rows than the header counts, or a malformed row.</returns>
    public static bool TryRead(ReadOnlySpan<byte> data, out PairStatusRow[] rows, out int totalRows, out string? reason)
    {
        rows = [];
        totalRows = 0;
        if (data.Length < HeaderLength)
        {
            reason = "PAIR STATUS data of " + data.Length + " bytes, shorter than its 8-byte header (allocation length too short)";
            return false;
        }

        uint rowDataLength = BinaryPrimitives.ReadUInt32BigEndian(data);
        int count = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        int rowLength = BinaryPrimitives.ReadUInt16BigEndian(data[6..]);
        if (rowLength is not (PairStatusRow.Length or PairStatusRow.LengthWithoutCopyCounts))
        {
            reason = "PAIR STATUS row length is " + rowLength + ", neither 96 nor 80 (a target before the copy counts)";
            return false;
        }

        if (rowDataLength != (uint)(count * rowLength))
        {
            reason = "PAIR STATUS ROW DATA LENGTH is " + rowDataLength + ", not " + rowLength + " x " + count + " rows";
            return false;
        }

        int body = data.Length - HeaderLength;
        if (body % rowLength != 0)
        {
            reason = "PAIR STATUS data: " + body + " bytes after the header are not whole " + rowLength + "-byte rows";
            return false;
        }

        int received = body / rowLength;
        if (received > count)
        {
            reason = "PAIR STATUS data holds " + received + " rows, the header counts " + count;
            return false;
        }

        PairStatusRow[] decoded = received == 0 ? [] : new PairStatusRow[received];
        for (int i = 0; i < received; i++)
        {
            if (!PairStatusRow.TryRead(data.Slice(HeaderLength + (i * rowLength), rowLength), rowLength, out decoded[i], out reason))
            {
                reason = "row " + i + ": " + reason;
                return false;
            }
        }

        rows = decoded;
        totalRows = count;
        reason = null;
        return true;
    }
}
