// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using Controller.HostSim.Cli;

namespace Controller.HostSim.CrashTest;

/// <summary>The report of <c>hostsim crash-test --power-cut</c>: the counts of a <see cref="PowerCutRunResult"/>, as text or JSON.</summary>
/// <param name="result">The run's counts.</param>
/// <param name="options">The run's options.</param>
internal sealed class PowerCutReport(PowerCutRunResult result, PowerCutRunOptions options)
{
    /// <summary>Gets the report as text: one line per count, then the first findings.</summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        StringBuilder text = new();
        text.AppendLine(CultureInfo.InvariantCulture, $"power-cut run  seed {options.Seed}, {options.Pairs} local pairs, {(options.Policy == Controller.Firmware.Media.WriteCachePolicy.WriteBack ? "write-back" : "write-through")} disks, the state directory on a simulated file system");
        text.AppendLine(CultureInfo.InvariantCulture, $"cuts           {result.Cuts:N0} ({result.CutsInsideStateFiles:N0} inside a state-file operation), {result.Elapsed.TotalSeconds:F1} s, {result.CutsPerMinute:N0} a minute");
        text.AppendLine(CultureInfo.InvariantCulture, $"damaged        {result.StateChangesDamaged:N0} unsynced state-file changes, {result.VolumeWritesDamaged:N0} unsynced volume writes (the cuts bite)");
        text.AppendLine(CultureInfo.InvariantCulture, $"writes         {result.WritesAcknowledged:N0} acknowledged, {result.WritesLost:N0} lost, {result.WritesTorn:N0} torn");
        text.AppendLine(CultureInfo.InvariantCulture, $"pairs          {result.PairCommandsAcknowledged:N0} commands acknowledged, {result.PairsChecked:N0} pairs checked, {result.StateViolations:N0} state violations, {result.SplitImagesChecked:N0} split images checked");
        text.AppendLine(CultureInfo.InvariantCulture, $"S = P          {result.Mismatches:N0} blocks differing after resync");
        foreach (string failure in result.Failures)
        {
            text.AppendLine("finding        " + failure);
        }

        text.Append("verdict        " + (result.Passed ? "PASSED: nothing acknowledged was lost" : "FAILED"));
        return text.ToString();
    }

    /// <summary>Gets the report as one JSON object.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        return JsonText.Object(json =>
        {
            json.WriteString("mode", "power-cut");
            json.WriteNumber("seed", options.Seed);
            json.WriteNumber("cuts", result.Cuts);
            json.WriteNumber("cutsInsideStateFiles", result.CutsInsideStateFiles);
            json.WriteNumber("stateChangesDamaged", result.StateChangesDamaged);
            json.WriteNumber("volumeWritesDamaged", result.VolumeWritesDamaged);
            json.WriteNumber("writesAcknowledged", result.WritesAcknowledged);
            json.WriteNumber("writesLost", result.WritesLost);
            json.WriteNumber("writesTorn", result.WritesTorn);
            json.WriteNumber("pairCommandsAcknowledged", result.PairCommandsAcknowledged);
            json.WriteNumber("pairsChecked", result.PairsChecked);
            json.WriteNumber("stateViolations", result.StateViolations);
            json.WriteNumber("splitImagesChecked", result.SplitImagesChecked);
            json.WriteNumber("mismatches", result.Mismatches);
            json.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
            json.WriteBoolean("passed", result.Passed);
            json.WriteStartArray("findings");
            foreach (string failure in result.Failures)
            {
                json.WriteStringValue(failure);
            }

            json.WriteEndArray();
        });
    }
}
