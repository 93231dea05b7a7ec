// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;
using Controller.Firmware.PairVocabulary;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Core.Pairs;

/// <summary>
/// The pairdisplay table of PAIR STATUS rows (docs/protocol.md), text and JSON: the one renderer of pair rows, for a
/// host that read them over the wire (<c>hostsim pair status</c>, the load and replay reports) and for an in-process
/// controller's rows (<c>Controller.Target.Scsi.PairStatusRows</c>, the demo). Each side's own view of the state, the
/// "%" column (copy progress while copying, the share of identical tracks while split); "Copied" is the tracks the
/// last copy (initial copy, resync, restore, swap resync) copied, "-" from a target whose 80-byte rows do not carry it.
/// </summary>
public static class PairDisplay
{
    private const string HostFormat = "{0,-5} {1,-12} {2,-16} {3,-8} {4,-16} {5,-8} {6,2} {7,-11} {8,4} {9,10} {10,10} {11,10}";

    // Issue #3's table: no copy count, and the type column as wide as LOCAL and REMOTE.
    private const string ControllerFormat = "{0,-5} {1,-12} {2,-16} {3,-8} {4,-16} {5,-8} {6,2} {7,-6} {8,4} {9,10} {10,10}";

    /// <summary>Renders the rows as the pairdisplay text table.</summary>
    /// <param name="rows">The PAIR STATUS rows.</param>
    /// <param name="columns">Which columns.</param>
    /// <returns>The table: a header line and one line per row, no final newline.</returns>
    public static string ToText(IReadOnlyList<PairStatusRow> rows, PairDisplayColumns columns = PairDisplayColumns.Host)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string format = columns == PairDisplayColumns.Controller ? ControllerFormat : HostFormat;
        StringBuilder text = new();
        text.AppendFormat(CultureInfo.InvariantCulture, format, "Entry", "Name", "P-VOL", "P-Status", "S-VOL", "S-Status", "MU", "Type", "%", "DiffTracks", "SplitSeq", "Copied").Append('\n');
        foreach (PairStatusRow row in rows)
        {
            PairState state = (PairState)row.State;
            text.AppendFormat(
                CultureInfo.InvariantCulture,
                format,
                row.EntryId,
                row.MirrorName.Length == 0 ? "-" : row.MirrorName,
                row.PVol,
                PairStateNames.Of(state),
                row.SVol,
                PairStateNames.OfSVol(state),
                row.MirrorUnit,
                TypeOf(row),
                row.Percent == PairStatusRow.PercentUnknown ? "-" : row.Percent.ToString(CultureInfo.InvariantCulture),
                row.DifferentialTracks,
                row.SplitTimeNanoseconds == 0 ? "-" : row.SplitSequence.ToString(CultureInfo.InvariantCulture),
                row.CopiedTracks is ulong copied ? copied.ToString(CultureInfo.InvariantCulture) : "-").Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }

    // LOCAL; REMOTE with the side this subsystem holds (R2-29: the local volume's attribute), "/DV" for a determining pair.
    private static string TypeOf(in PairStatusRow row)
    {
        return row.Type == 0 ? "LOCAL" : (row.IsSecondary ? "REMOTE-S" : "REMOTE-P") + (row.IsDetermining ? "/DV" : string.Empty);
    }

    /// <summary>Writes the rows as the JSON array <c>pairs</c>.</summary>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="rows">The PAIR STATUS rows.</param>
    public static void WriteJson(Utf8JsonWriter writer, IReadOnlyList<PairStatusRow> rows)
    {
        writer.WriteStartArray("pairs");
        foreach (PairStatusRow row in rows)
        {
            PairState state = (PairState)row.State;
            writer.WriteStartObject();
            writer.WriteNumber("entry", row.EntryId);
            if (row.MirrorName.Length == 0)
            {
                writer.WriteNull("name");
            }
            else
            {
                writer.WriteString("name", row.MirrorName);
            }

            writer.WriteString("pVol", row.PVol.ToString());
            writer.WriteString("pStatus", PairStateNames.Of(state));
            writer.WriteString("sVol", row.SVol.ToString());
            writer.WriteString("sStatus", PairStateNames.OfSVol(state));
            writer.WriteNumber("mirrorUnit", row.MirrorUnit);
            writer.WriteString("type", row.Type == 0 ? "LOCAL" : "REMOTE");
            writer.WriteString("localSide", row.Type == 0 ? "both" : row.IsSecondary ? "S-VOL" : "P-VOL");
            writer.WriteBoolean("determining", row.IsDetermining);
            writer.WriteString("splitMode", row.SplitMode == 1 ? "rw" : "r");
            if (row.Percent == PairStatusRow.PercentUnknown)
            {
                writer.WriteNull("percentIdentical");
            }
            else
            {
                writer.WriteNumber("percentIdentical", row.Percent);
            }

            writer.WriteNumber("differentialTracks", row.DifferentialTracks);
            if (row.SplitTimeNanoseconds == 0)
            {
                writer.WriteNull("splitSequence");
            }
            else
            {
                writer.WriteNumber("splitSequence", row.SplitSequence);
            }

            WriteCount(writer, "copiedTracks", row.CopiedTracks);
            WriteCount(writer, "copyTotalTracks", row.CopyTotalTracks);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    // Null when the target's rows do not carry the count (80-byte rows): not known is not zero.
    private static void WriteCount(Utf8JsonWriter writer, string name, ulong? count)
    {
        if (count is ulong value)
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
