// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Renders Copy Management Table rows as pairdisplay does: one line per pair with each side's own view of the
/// state, the "%" column (copy progress while copying, the share of identical tracks while split), and the same
/// data as JSON for tools.
/// </summary>
public static class PairDisplay
{
    private const string Format = "{0,-5} {1,-12} {2,-16} {3,-8} {4,-16} {5,-8} {6,2} {7,-6} {8,4} {9,10} {10,10}";

    /// <summary>Renders the rows as a text table.</summary>
    /// <param name="pairs">The rows.</param>
    /// <returns>The table, one header line and one line per pair.</returns>
    public static string ToText(IReadOnlyList<MirrorPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        StringBuilder text = new();
        text.AppendFormat(CultureInfo.InvariantCulture, Format, "Entry", "Name", "P-VOL", "P-Status", "S-VOL", "S-Status", "MU", "Type", "%", "DiffTracks", "SplitSeq")
            .Append('\n');
        foreach (MirrorPair pair in pairs)
        {
            text.AppendFormat(
                CultureInfo.InvariantCulture,
                Format,
                pair.EntryId,
                pair.MirrorName ?? "-",
                pair.PVolAddress.ToCompactString(),
                PairStateNames.Of(pair.State),
                pair.SVolAddress.ToCompactString(),
                PairStateNames.OfSVol(pair.State),
                pair.MirrorUnit,
                pair.Type == MirrorType.Local ? "LOCAL" : "REMOTE",
                pair.PercentIdentical?.ToString(CultureInfo.InvariantCulture) ?? "-",
                pair.CountDifferentialTracks(),
                pair.SplitTime is null ? "-" : pair.SplitSequence.ToString(CultureInfo.InvariantCulture))
                .Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Renders the rows as a JSON array of objects.</summary>
    /// <param name="pairs">The rows.</param>
    /// <returns>The JSON text, indented.</returns>
    public static string ToJson(IReadOnlyList<MirrorPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        using MemoryStream stream = new();
        using (Utf8JsonWriter json = new(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (MirrorPair pair in pairs)
            {
                json.WriteStartObject();
                json.WriteNumber("entry", pair.EntryId);
                if (pair.MirrorName is null)
                {
                    json.WriteNull("name");
                }
                else
                {
                    json.WriteString("name", pair.MirrorName);
                }

                json.WriteString("pVol", pair.PVolAddress.ToString());
                json.WriteString("pStatus", PairStateNames.Of(pair.State));
                json.WriteString("sVol", pair.SVolAddress.ToString());
                json.WriteString("sStatus", PairStateNames.OfSVol(pair.State));
                json.WriteNumber("mirrorUnit", pair.MirrorUnit);
                json.WriteString("type", pair.Type == MirrorType.Local ? "LOCAL" : "REMOTE");
                json.WriteString("splitMode", pair.SplitMode == SplitMode.ReadWrite ? "rw" : "r");
                int? percent = pair.PercentIdentical;
                if (percent is null)
                {
                    json.WriteNull("percentIdentical");
                }
                else
                {
                    json.WriteNumber("percentIdentical", percent.Value);
                }

                json.WriteNumber("differentialTracks", pair.CountDifferentialTracks());
                if (pair.SplitTime is null)
                {
                    json.WriteNull("splitSequence");
                }
                else
                {
                    json.WriteNumber("splitSequence", pair.SplitSequence);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
