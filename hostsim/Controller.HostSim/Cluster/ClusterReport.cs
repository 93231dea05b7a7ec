// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Controller.HostSim.Cluster;

/// <summary>What one run of a cluster scenario found: the steps (the determining pair at each, as the captions show it), the hosts' events, every pair command (R2-28), the checks, and the verdict.</summary>
internal sealed record ClusterReport(
    ClusterScenario Scenario,
    ClusterOptions Options,
    IReadOnlyList<ClusterStep> Steps,
    IReadOnlyList<ClusterEvent> Events,
    IReadOnlyList<PairCommandRecord> Commands,
    ClusterOutcome Outcome,
    bool InvariantHeld,
    string? Failure,
    IReadOnlyList<TimeSpan> TakeoverTimes,
    IReadOnlyList<TimeSpan> ReserveAndTakeoverTimes)
{
    /// <summary>Gets whether the winner is the expected one.</summary>
    public bool WinnerAsExpected => Scenario.ExpectedWinner switch
    {
        "either" => Options.First == 0 ? Outcome.Winner is "H1" or "H2" : Outcome.Winner == "H" + Options.First,
        "alternating" => Outcome.Winner == string.Join(",", Enumerable.Range(1, Options.Cycles).Select(i => i % 2 == 1 ? "H1" : "H2")),
        string expected => Outcome.Winner == expected,
    };

    public bool Passed => Failure is null && Outcome.Passed && InvariantHeld && WinnerAsExpected;

    /// <summary>Gets the heartbeat timeout each host's clustering software used (H1, H2), read from the hosts (R2-30).</summary>
    public (TimeSpan H1, TimeSpan H2) HeartbeatTimeouts { get; init; }

    /// <summary>Gets the copy rate SD1's and SD2's copies ran at, read from their copy management tables (0: as fast as the MPs go; null: a controllerd's, unknown).</summary>
    public IReadOnlyList<long?> CopyBytesPerSecond { get; init; } = [];

    /// <summary>
    /// Gets the host whose RESERVE sent its pair command to the storage first (after the heartbeat loss), or null
    /// when fewer than two did: with the link up the first to reach the owner should win.
    /// </summary>
    public string? FirstToSend
    {
        get
        {
            PairCommandRecord[] sent = [.. Commands.Where(c => c.Request == "RESERVE" && c.Command != "none").OrderBy(c => c.Sent)];
            return sent.Select(c => c.Host).Distinct().Count() < 2 ? null : sent[0].Host;
        }
    }

    /// <summary>Gets the reason of every pair command the storage refused (the ASC 0x80 code's name, e.g. "CopyInProgress"), in order.</summary>
    public IEnumerable<string> Refusals => Commands.Where(c => !c.NormalEnd && c.Command != "none").Select(c => c.Reason);

    public string ToText()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder text = new();
        text.AppendLine(c, $"hostsim cluster {Scenario.Name}: {Scenario.Title} ({Scenario.Requirements})");
        text.AppendLine(c, $"  heartbeat every {Options.Timing.Interval.TotalMilliseconds} ms, timeout {Options.Timing.Timeout.TotalMilliseconds} ms (stagger {Options.Timing.Stagger.TotalMilliseconds} ms); link latency {Options.LinkLatency.TotalMilliseconds} ms; RESET {(Options.Pvc.ResetSplits ? "splits" : "passes through")}; owner re-reserve {(Options.Pvc.OwnerReReserveWithoutCommand ? "without a storage command" : "sent to the storage")}");
        text.AppendLine("  step  time       figure    DV1 (SD1)                   DV2 (SD2)                   PV / SV                       writers  R2-21");
        foreach (ClusterStep step in Steps)
        {
            text.AppendLine(c, $"  {step.Index,4}  {step.At.TotalMilliseconds,7:F0} ms  {step.Figure,-8}  {step.Dv1,-26}  {step.Dv2,-26}  {Short(step.Pv) + " / " + Short(step.Sv),-28}  {(step.Writers.Count == 0 ? "none" : string.Join(",", step.Writers)),-7}  {(step.InvariantHeld ? "ok" : "VIOLATED")}");
            text.AppendLine(c, $"        {step.What}");
        }

        text.AppendLine("  pair commands (R2-28): host, request, command -> volume, before, response, after");
        foreach (PairCommandRecord command in Commands)
        {
            text.AppendLine(c, $"  {command.At.TotalMilliseconds,7:F0} ms  {command.Host} {command.Request}: {command.Command} -> {command.Volume} [{command.Before}] {command.Ending} ({command.Response}) [{command.After}]");
        }

        text.AppendLine("  hosts:");
        foreach (ClusterEvent e in Events)
        {
            text.AppendLine(c, $"  {e.At.TotalMilliseconds,7:F0} ms  {e.Host} {e.What}");
        }

        foreach ((string check, bool held) in Outcome.Checks)
        {
            text.AppendLine(c, $"  check   {(held ? "ok  " : "FAIL")} {check}");
        }

        text.AppendLine(c, $"  check   {(InvariantHeld ? "ok  " : "FAIL")} R2-21 at every step: at most one host can write the data, and it holds the data P-VOL");
        if (TakeoverTimes.Count > 0)
        {
            text.AppendLine(c, $"  takeover {string.Join(", ", TakeoverTimes.Select(t => t.TotalMilliseconds.ToString("F1", c) + " ms"))} from the last heartbeat heard to the application online ({string.Join(", ", ReserveAndTakeoverTimes.Select(t => t.TotalMilliseconds.ToString("F1", c) + " ms"))} of it from declaring the failure: RESERVE and the data pair's takeover)");
        }

        if (Failure is not null)
        {
            text.AppendLine(c, $"  FAILED  {Failure}");
        }

        text.Append(c, $"  verdict {(Passed ? "PASS" : "FAIL")}: winner {Outcome.Winner} (expected {(Scenario.ExpectedWinner == "either" && Options.First != 0 ? "H" + Options.First + ", the first to reserve" : Scenario.ExpectedWinner)})");
        return text.ToString();
    }

    /// <summary>Writes the report's members into an open JSON object.</summary>
    /// <param name="json">The writer.</param>
    public void WriteMembers(Utf8JsonWriter json)
    {
        json.WriteString("scenario", Scenario.Name);
        json.WriteString("title", Scenario.Title);
        json.WriteString("requirements", Scenario.Requirements);
        json.WriteBoolean("passed", Passed);
        json.WriteString("winner", Outcome.Winner);
        if (FirstToSend is string first)
        {
            json.WriteString("firstToSend", first);
        }

        json.WriteString("expectedWinner", Scenario.ExpectedWinner);
        json.WriteBoolean("invariantHeld", InvariantHeld);
        json.WriteStartObject("heartbeatTimeoutMilliseconds");
        json.WriteNumber("H1", HeartbeatTimeouts.H1.TotalMilliseconds);
        json.WriteNumber("H2", HeartbeatTimeouts.H2.TotalMilliseconds);
        json.WriteEndObject();
        json.WriteStartArray("copyBytesPerSecond");
        foreach (long? rate in CopyBytesPerSecond)
        {
            if (rate is long known)
            {
                json.WriteNumberValue(known);
            }
            else
            {
                json.WriteNullValue();
            }
        }

        json.WriteEndArray();
        if (Failure is not null)
        {
            json.WriteString("failure", Failure);
        }

        json.WriteStartArray("steps");
        foreach (ClusterStep step in Steps)
        {
            json.WriteStartObject();
            json.WriteNumber("step", step.Index);
            json.WriteNumber("milliseconds", Math.Round(step.At.TotalMilliseconds, 1));
            json.WriteString("figure", step.Figure);
            json.WriteString("what", step.What);
            Volume(json, "dv1", step.Dv1);
            Volume(json, "dv2", step.Dv2);
            Volume(json, "pv", step.Pv);
            Volume(json, "sv", step.Sv);
            json.WriteStartArray("writers");
            foreach (string writer in step.Writers)
            {
                json.WriteStringValue(writer);
            }

            json.WriteEndArray();
            json.WriteBoolean("invariantHeld", step.InvariantHeld);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("pairCommands");
        foreach (PairCommandRecord command in Commands)
        {
            json.WriteStartObject();
            json.WriteNumber("milliseconds", Math.Round(command.At.TotalMilliseconds, 1));
            json.WriteString("host", command.Host);
            json.WriteString("request", command.Request);
            json.WriteString("command", command.Command);
            json.WriteString("volume", command.Volume);
            Volume(json, "before", command.Before);
            json.WriteString("response", command.Ending);
            json.WriteString("detail", command.Response);
            Volume(json, "after", command.After);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("checks");
        foreach ((string check, bool held) in Outcome.Checks)
        {
            json.WriteStartObject();
            json.WriteString("check", check);
            json.WriteBoolean("held", held);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("takeoverMilliseconds");
        foreach (TimeSpan time in TakeoverTimes)
        {
            json.WriteNumberValue(Math.Round(time.TotalMilliseconds, 2));
        }

        json.WriteEndArray();
        json.WriteStartArray("reserveAndTakeoverMilliseconds");
        foreach (TimeSpan time in ReserveAndTakeoverTimes)
        {
            json.WriteNumberValue(Math.Round(time.TotalMilliseconds, 2));
        }

        json.WriteEndArray();
    }

    private static string Short(VolumeView view)
    {
        return !view.Known ? "?" : view.Attribute + " " + Controller.Firmware.PairVocabulary.PairStateNames.Of(view.State);
    }

    private static void Volume(Utf8JsonWriter json, string name, VolumeView view)
    {
        json.WriteStartObject(name);
        json.WriteBoolean("known", view.Known);
        json.WriteString("attribute", view.Attribute);
        json.WriteString("state", view.Known ? Controller.Firmware.PairVocabulary.PairStateNames.Of(view.State) : "unknown");
        json.WriteString("fig4State", view.StateName);
        json.WriteEndObject();
    }
}
