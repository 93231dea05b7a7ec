// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Cli;
using Controller.Workload;

namespace Controller.HostSim.AuxSystem;

/// <summary>What <c>hostsim aux-system</c> found: the steps, the oracle's verdicts and the checks of G3 and R0-32.</summary>
internal sealed record AuxSystemReport
{
    public required string Site { get; init; }

    public required AtomicSplitMechanism Mechanism { get; init; }

    public required int Volumes { get; init; }

    public required IReadOnlyList<AuxSystemStep> Steps { get; init; }

    public required TimeSpan SplitLatency { get; init; }

    public required long ProductionWrites { get; init; }

    public string? ProductionFailure { get; init; }

    public required OracleVerdict Lv3Verdict { get; init; }

    public required OracleVerdict Lv4Verdict { get; init; }

    public required bool Lv3EqualsLv4 { get; init; }

    public required bool ProductionMirrorPaired { get; init; }

    /// <summary>
    /// Gets the blocks the link carried to create the new mirrors, counted on the embedded link; null against two
    /// daemons (their link's counters are not read over the wire, so nothing is claimed).
    /// </summary>
    public long? AuxCopyBlocksOverLink { get; init; }

    /// <summary>Gets the new mirrors' differential tracks when created (PAIR STATUS): the tracks a no-copy create copies.</summary>
    public required long AuxDifferentialTracksAtCreate { get; init; }

    public required bool AuxWritesMirrored { get; init; }

    public required bool ProductionIsolated { get; init; }

    /// <summary>Gets whether every check held.</summary>
    public bool Passed => Lv3Verdict.Consistent && Lv4Verdict.Consistent && Lv3EqualsLv4 && ProductionMirrorPaired && ProductionFailure is null
        && (AuxCopyBlocksOverLink ?? 0) == 0 && AuxDifferentialTracksAtCreate == 0 && AuxWritesMirrored && ProductionIsolated;

    private string MechanismName => Mechanism == AtomicSplitMechanism.Freeze ? "freeze" : "sequence-cut";

    public string ToText()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder text = new();
        text.AppendLine(c, $"hostsim aux-system: seed 000 FIG 5 on {Site}");
        text.AppendLine(c, $"  {Volumes} production volumes, atomic split mechanism {MechanismName}");
        foreach (AuxSystemStep step in Steps)
        {
            text.AppendLine(c, $"  {step.Id}  {step.At.TotalSeconds,7:F3} s  {step.What}");
        }

        text.AppendLine(c, $"  oracle  LV3 images (SS1): {Verdict(Lv3Verdict)}");
        text.AppendLine(c, $"  oracle  LV4 images (SS2): {Verdict(Lv4Verdict)}");
        text.AppendLine(c, $"  G3      LV3 == LV4 block for block: {(Lv3EqualsLv4 ? "yes" : "NO")}");
        text.AppendLine(c, $"  G5      production: {ProductionWrites} writes, {(ProductionFailure is null ? "none refused" : "FAILED: " + ProductionFailure)}; LV1 -> LV2 {(ProductionMirrorPaired ? "stayed in PAIR" : "LEFT PAIR")}");
        text.AppendLine(c, $"  FIG 12  {(AuxCopyBlocksOverLink is long blocks ? "blocks sent over the link for the auxiliary system after the split: " + blocks.ToString(c) + "; " : string.Empty)}differential tracks at create: {AuxDifferentialTracksAtCreate}");
        text.AppendLine(c, $"  R0-32   auxiliary writes reach LV4: {(AuxWritesMirrored ? "yes" : "NO")}; production never reaches LV3/LV4: {(ProductionIsolated ? "yes" : "NO")}");
        text.Append(c, $"  verdict {(Passed ? "PASS" : "FAIL")}");
        return text.ToString();
    }

    public string ToJson()
    {
        return JsonText.Object(json =>
        {
            json.WriteBoolean("passed", Passed);
            json.WriteString("site", Site);
            json.WriteString("mechanism", MechanismName);
            json.WriteNumber("volumes", Volumes);
            json.WriteStartArray("steps");
            foreach (AuxSystemStep step in Steps)
            {
                json.WriteStartObject();
                json.WriteString("id", step.Id);
                json.WriteNumber("seconds", Math.Round(step.At.TotalSeconds, 3));
                json.WriteString("what", step.What);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("splitLatencyMicroseconds", Math.Round(SplitLatency.TotalMicroseconds, 1));
            json.WriteNumber("productionWrites", ProductionWrites);
            json.WriteBoolean("productionRefused", ProductionFailure is not null);
            WriteVerdict(json, "lv3Oracle", Lv3Verdict);
            WriteVerdict(json, "lv4Oracle", Lv4Verdict);
            json.WriteBoolean("lv3EqualsLv4", Lv3EqualsLv4);
            json.WriteBoolean("productionMirrorPaired", ProductionMirrorPaired);
            // Only where it was counted (embedded): against daemons the member is left out.
            if (AuxCopyBlocksOverLink is long blocks)
            {
                json.WriteNumber("auxCopyBlocksOverLink", blocks);
            }

            json.WriteNumber("auxDifferentialTracksAtCreate", AuxDifferentialTracksAtCreate);
            json.WriteBoolean("auxWritesMirrored", AuxWritesMirrored);
            json.WriteBoolean("productionIsolated", ProductionIsolated);
        });
    }

    private static string Verdict(OracleVerdict verdict)
    {
        return verdict.Consistent ? "consistent, " + verdict.WritesPresent + " of " + verdict.WritesChecked + " writes in the image (" + verdict.Cut + ")" : "INCONSISTENT: " + verdict;
    }

    private static void WriteVerdict(Utf8JsonWriter json, string name, OracleVerdict verdict)
    {
        json.WriteStartObject(name);
        json.WriteBoolean("consistent", verdict.Consistent);
        json.WriteNumber("writesChecked", verdict.WritesChecked);
        json.WriteNumber("writesInImage", verdict.WritesPresent);
        json.WriteString("cut", verdict.Cut);
        json.WriteEndObject();
    }
}
