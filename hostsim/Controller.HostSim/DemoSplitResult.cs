// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Workload;

namespace Controller.HostSim;

/// <summary>One atomic split of the demo and the oracle's verdict on its image.</summary>
/// <param name="Mechanism">The mechanism.</param>
/// <param name="Members">The number of members.</param>
/// <param name="Latency">Command to answer.</param>
/// <param name="Result">The split's answer.</param>
/// <param name="Verdict">The oracle's verdict.</param>
/// <param name="HostFailure">A host write not answered Good, if any.</param>
internal sealed record DemoSplitResult(AtomicSplitMechanism Mechanism, int Members, TimeSpan Latency, AtomicSplitResult Result, OracleVerdict Verdict, string? HostFailure)
{
    public bool Consistent => Result.Succeeded && Verdict.Consistent && HostFailure is null;

    private string MechanismName => Mechanism == AtomicSplitMechanism.Freeze ? "freeze" : "sequence-cut";

    public void AppendText(StringBuilder text)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"    {MechanismName,-13}{Latency.TotalMicroseconds,9:F1} us to GOOD, {Result.Telemetry?.HeldWrites ?? 0} writes held (hold p99 {Result.Telemetry?.HoldP99.TotalMicroseconds ?? 0:F1} us, max {Result.Telemetry?.HoldMax.TotalMicroseconds ?? 0:F1} us), split at sequence {Result.SplitSequence}");
        text.AppendLine(c, $"      oracle        {(Consistent ? "consistent: " + Verdict.Cut : "INCONSISTENT: " + (Result.Succeeded ? Verdict.ToString() : Result.Message) + (HostFailure is null ? string.Empty : "; " + HostFailure))}");
    }

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("mechanism", MechanismName);
        json.WriteNumber("members", Members);
        json.WriteNumber("latencyMicroseconds", Math.Round(Latency.TotalMicroseconds, 1));
        json.WriteBoolean("consistent", Consistent);
        json.WriteNumber("heldWrites", Result.Telemetry?.HeldWrites ?? 0);
        json.WriteNumber("holdP99Microseconds", Math.Round(Result.Telemetry?.HoldP99.TotalMicroseconds ?? 0, 1));
        json.WriteNumber("holdMaxMicroseconds", Math.Round(Result.Telemetry?.HoldMax.TotalMicroseconds ?? 0, 1));
        json.WriteNumber("splitSequence", Result.SplitSequence);
        json.WriteNumber("writesChecked", Verdict.WritesChecked);
        json.WriteNumber("writesInImage", Verdict.WritesPresent);
        json.WriteString("cut", Verdict.Cut);
        json.WriteEndObject();
    }
}
