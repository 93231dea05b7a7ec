// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Controller.HostSim;

/// <summary>What the demo's local-mirror phase did and checked.</summary>
internal sealed class MirrorPhaseReport
{
    public required string PVol { get; init; }

    public required string SVol { get; init; }

    public required double InitialCopySeconds { get; init; }

    public required bool SEqualsPAfterInitialCopy { get; init; }

    public required int MirroredWrites { get; init; }

    public required bool SEqualsPWhilePaired { get; init; }

    public required int SplitWrites { get; init; }

    public required long TracksMarkedAfterSplit { get; init; }

    public required bool SplitImageKept { get; init; }

    public required long ResyncTracksCopied { get; init; }

    public required bool SEqualsPAfterResync { get; init; }

    public required string PairDisplayAfterSplit { get; init; }

    public bool Consistent => SEqualsPAfterInitialCopy && SEqualsPWhilePaired && SplitImageKept
        && ResyncTracksCopied == TracksMarkedAfterSplit && SEqualsPAfterResync;

    public void AppendText(StringBuilder text)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"  local mirror        {PVol} -> {SVol}");
        text.AppendLine(c, $"    initial copy      {InitialCopySeconds:F2} s to PAIR; S equals P: {YesNo(SEqualsPAfterInitialCopy)}");
        text.AppendLine(c, $"    mirrored writes   {MirroredWrites:N0}, each acknowledged after the S-VOL had it; S equals P: {YesNo(SEqualsPWhilePaired)}");
        text.AppendLine(c, $"    split             {SplitWrites:N0} writes after it marked {TracksMarkedAfterSplit:N0} tracks; S kept the split image: {YesNo(SplitImageKept)}");
        text.AppendLine(c, $"    resync            copied {ResyncTracksCopied:N0} tracks (the marked ones); S equals P: {YesNo(SEqualsPAfterResync)}");
        foreach (string line in PairDisplayAfterSplit.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append("    ").AppendLine(line);
        }
    }

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteBoolean("consistent", Consistent);
        json.WriteString("pVol", PVol);
        json.WriteString("sVol", SVol);
        json.WriteNumber("initialCopySeconds", Math.Round(InitialCopySeconds, 3));
        json.WriteBoolean("sEqualsPAfterInitialCopy", SEqualsPAfterInitialCopy);
        json.WriteNumber("mirroredWrites", MirroredWrites);
        json.WriteBoolean("sEqualsPWhilePaired", SEqualsPWhilePaired);
        json.WriteNumber("splitWrites", SplitWrites);
        json.WriteNumber("tracksMarkedAfterSplit", TracksMarkedAfterSplit);
        json.WriteBoolean("splitImageKept", SplitImageKept);
        json.WriteNumber("resyncTracksCopied", ResyncTracksCopied);
        json.WriteBoolean("sEqualsPAfterResync", SEqualsPAfterResync);
        json.WriteEndObject();
    }

    private static string YesNo(bool value)
    {
        return value ? "yes" : "NO";
    }
}
