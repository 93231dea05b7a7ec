// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Controller.Traces.Tests;

/// <summary>
/// A seeded CloudPhysics vSCSI trace written in both of its forms, the CSV and the 32-byte binary records, with the
/// counts it was made with. The public sample is GPL-3.0 research data and stays out of the repository
/// (tests/data/traces/SOURCES.md); these files exercise the same readers on the same shapes: READ(10)/WRITE(10)
/// mostly, a few 16-byte CDBs and SYNCHRONIZE CACHE, sizes in 512-byte multiples, time in microseconds (the CSV
/// keeps whole seconds, as the real one does).
/// </summary>
internal sealed class CloudPhysicsSample
{
    private static readonly int[] s_readOpcodes = [0x28, 0x28, 0x28, 0x88];
    private static readonly int[] s_writeOpcodes = [0x2A, 0x2A, 0x2A, 0x8A];

    private CloudPhysicsSample(string csv, byte[] binary)
    {
        Csv = csv;
        Binary = binary;
    }

    public string Csv { get; }

    public byte[] Binary { get; }

    public long Reads { get; private set; }

    public long Writes { get; private set; }

    public long Flushes { get; private set; }

    public long BytesRead { get; private set; }

    public long BytesWritten { get; private set; }

    /// <summary>Gets the block past the last one any command touches (the capacity the trace needs).</summary>
    public long EndBlock { get; private set; }

    /// <summary>Gets the time from the first command to the last, in nanoseconds (from the binary's microseconds).</summary>
    public long SpanNanoseconds { get; private set; }

    public long Commands => Reads + Writes + Flushes;

    public static CloudPhysicsSample Generate(int seed, int commands)
    {
        Random random = new(seed);
        StringBuilder csv = new("version,time,op,size,lbn\n");
        byte[] binary = new byte[commands * 32];
        long microseconds = 5_633_898_000_000L + random.Next(1_000_000);
        long firstMicroseconds = 0;
        long reads = 0, writes = 0, flushes = 0, bytesRead = 0, bytesWritten = 0, endBlock = 0;
        for (int i = 0; i < commands; i++)
        {
            microseconds += random.Next(0, 20_000);
            firstMicroseconds = i == 0 ? microseconds : firstMicroseconds;
            int kind = random.Next(100);
            kind = i == 0 ? Math.Max(kind, 2) : kind; // the importer times a trace from its first read or write
            int opcode;
            uint size;
            long lbn;
            if (kind < 2)
            {
                opcode = 0x35;
                size = 0;
                lbn = 0;
                flushes++;
            }
            else
            {
                bool write = kind < 60;
                int[] opcodes = write ? s_writeOpcodes : s_readOpcodes;
                opcode = opcodes[random.Next(opcodes.Length)];
                size = 512u * (uint)(1 << random.Next(0, 8));
                lbn = random.NextInt64(0, 65_595_456);
                endBlock = Math.Max(endBlock, lbn + (size / 512));
                if (write)
                {
                    writes++;
                    bytesWritten += size;
                }
                else
                {
                    reads++;
                    bytesRead += size;
                }
            }

            csv.Append("1,").Append((microseconds / 1_000_000).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(opcode.ToString("x2", CultureInfo.InvariantCulture)).Append(',')
                .Append(size.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(lbn.ToString(CultureInfo.InvariantCulture)).Append('\n');
            Span<byte> record = binary.AsSpan(i * 32, 32);
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(0x80000000 + i));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], 1);
            BinaryPrimitives.WriteUInt16LittleEndian(record[12..], (ushort)opcode);
            BinaryPrimitives.WriteUInt16LittleEndian(record[14..], 0x0100);
            BinaryPrimitives.WriteInt64LittleEndian(record[16..], lbn);
            BinaryPrimitives.WriteInt64LittleEndian(record[24..], microseconds);
        }

        return new CloudPhysicsSample(csv.ToString(), binary)
        {
            Reads = reads,
            Writes = writes,
            Flushes = flushes,
            BytesRead = bytesRead,
            BytesWritten = bytesWritten,
            EndBlock = endBlock,
            SpanNanoseconds = (microseconds - firstMicroseconds) * 1000,
        };
    }

    /// <summary>Writes both forms into a folder, as <c>sample.csv</c> and <c>sample.vscsi</c>.</summary>
    public (string Csv, string Binary) WriteTo(string folder)
    {
        string csvPath = Path.Combine(folder, "sample.csv");
        string binaryPath = Path.Combine(folder, "sample.vscsi");
        File.WriteAllText(csvPath, Csv);
        File.WriteAllBytes(binaryPath, Binary);
        return (csvPath, binaryPath);
    }
}
