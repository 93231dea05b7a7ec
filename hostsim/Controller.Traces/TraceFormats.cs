// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Traces.Formats;

namespace Controller.Traces;

/// <summary>The formats by their command-line names, and detection of a file's format from its name and first line.</summary>
public static class TraceFormats
{
    /// <summary>The command-line names, in the order help lists them.</summary>
    public static readonly string[] Names = ["fio", "disksim", "cloudphysics-csv", "cloudphysics-vscsi", "msr", "blkparse", "alibaba"];

    /// <summary>Gets a format's command-line name.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The name.</returns>
    public static string NameOf(TraceFormat format)
    {
        return Names[(int)format];
    }

    /// <summary>Finds a format by its command-line name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="format">The format.</param>
    /// <returns>False for an unknown name.</returns>
    public static bool TryParse(string name, out TraceFormat format)
    {
        int index = Array.IndexOf(Names, name);
        format = (TraceFormat)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>
    /// Detects a file's format: <c>.vscsi</c> is CloudPhysics binary; otherwise the first non-blank line tells (the
    /// fio and CloudPhysics headers; blkparse's <c>maj,min</c>; five numbers for DiskSim; seven CSV fields for MSR;
    /// five CSV fields with R or W second for Alibaba).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The format.</param>
    /// <returns>False when nothing matches (the user then names the format).</returns>
    public static bool TryDetect(string path, out TraceFormat format)
    {
        format = TraceFormat.DiskSim;
        if (path.EndsWith(".vscsi", StringComparison.OrdinalIgnoreCase))
        {
            format = TraceFormat.CloudPhysicsBinary;
            return true;
        }

        string? line = null;
        using (StreamReader text = new(path))
        {
            while (text.ReadLine() is string next)
            {
                if (!string.IsNullOrWhiteSpace(next))
                {
                    line = next.Trim();
                    break;
                }
            }
        }

        if (line is null)
        {
            return false;
        }

        string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        string[] fields = line.Split(',');
        if (line.StartsWith("fio version ", StringComparison.Ordinal))
        {
            format = TraceFormat.FioIolog;
        }
        else if (line.StartsWith("version,time,op,size,lbn", StringComparison.Ordinal))
        {
            format = TraceFormat.CloudPhysicsCsv;
        }
        else if (line.StartsWith("Timestamp,", StringComparison.OrdinalIgnoreCase) || (fields.Length == 7 && fields[3] is "Read" or "Write"))
        {
            format = TraceFormat.MsrCambridge;
        }
        else if (line.StartsWith("device_id,", StringComparison.Ordinal) || (fields.Length == 5 && fields[1] is "R" or "W"))
        {
            format = TraceFormat.Alibaba;
        }
        else if (words.Length >= 7 && words[0].Contains(',', StringComparison.Ordinal) && words[3].Contains('.', StringComparison.Ordinal))
        {
            format = TraceFormat.Blkparse;
        }
        else if (words.Length == 5 && Array.TrueForAll(words, w => w.Length > 0 && char.IsAsciiDigit(w[0])))
        {
            format = TraceFormat.DiskSim;
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>Opens a reader of a file in a format.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">Its format.</param>
    /// <returns>The reader, which owns the file.</returns>
    public static TraceReader Open(string path, TraceFormat format)
    {
        if (format == TraceFormat.CloudPhysicsBinary)
        {
            return new CloudPhysicsBinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), path);
        }

        StreamReader text = new(path);
        return format switch
        {
            TraceFormat.FioIolog => new FioIologReader(text, path),
            TraceFormat.DiskSim => new DiskSimReader(text, path),
            TraceFormat.CloudPhysicsCsv => new CloudPhysicsCsvReader(text, path),
            TraceFormat.MsrCambridge => new MsrCambridgeReader(text, path),
            TraceFormat.Blkparse => new BlkparseReader(text, path),
            _ => new AlibabaReader(text, path),
        };
    }
}
