// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;
using Controller.HostSim.Cli;

namespace Controller.HostSim.CrashTest;

/// <summary><c>hostsim crash-test</c>'s report, as text or JSON: every count from a check that ran (<see cref="CrashFindings"/>).</summary>
internal sealed class CrashTestReport
{
    private readonly CrashTestRun _run;
    private readonly CrashTestOptions _options;
    private readonly string _target;
    private readonly string _directory;

    /// <summary>Initializes a report.</summary>
    /// <param name="run">The run, ended.</param>
    /// <param name="options">Its options.</param>
    /// <param name="target">What was driven.</param>
    /// <param name="directory">Where its files are, and whether they were kept.</param>
    public CrashTestReport(CrashTestRun run, CrashTestOptions options, string target, string directory)
    {
        _run = run;
        _options = options;
        _target = target;
        _directory = directory;
    }

    /// <summary>Gets whether the run passed: every crash done, and no check found anything.</summary>
    public bool Passed => _run.Findings.IsClean && _run.Crashes == _options.Crashes;

    /// <summary>The text report.</summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        CrashFindings f = _run.Findings;
        StringBuilder text = new();
        text.Append(CultureInfo.InvariantCulture, $"hostsim crash-test: {_target}, {(_options.WriteBack ? "write-back" : "write-through")}, {_options.Luns} mirrored LUNs and a fresh pair{(_run.Tallies.ContainsKey(CrashScenario.DeterminingSwap) ? ", a determining pair with SS2" : string.Empty)}, {_options.CapacityMib} MiB each, queue depth {_options.QueueDepth}, seed {_options.Seed}\n");
        foreach (CrashRound round in _run.Rounds)
        {
            string kill = round.Command is null
                ? $"kill {round.KillMicroseconds / 1000:F1} ms into the load"
                : $"kill {round.KillMicroseconds:F0} us after {round.Command} was sent, {(round.Answered ? $"answered in {round.AnswerMicroseconds:F0} us" : "unanswered")}";
            text.Append(CultureInfo.InvariantCulture, $"  round {round.Index,3} {CrashScenarios.NameOf(round.Scenario),-31} {kill}; {round.WritesAcknowledged:N0} writes acknowledged, {round.WritesInDoubt} in doubt; restarted: {round.StatesAfter}{(round.Clean ? string.Empty : "  << FOUND")}\n");
        }

        List<string> scenarios = [];
        foreach ((CrashScenario scenario, ScenarioTally tally) in _run.Tallies)
        {
            scenarios.Add(CrashScenarios.NameOf(scenario) + " " + tally.Runs + (scenario == CrashScenario.Load ? string.Empty : " (" + tally.UnansweredAtKill + " unanswered at the kill)"));
        }

        Line(text, "scenarios", string.Join(", ", scenarios));
        foreach ((CrashScenario _, string name, string? notBuilt) in CrashScenarios.All)
        {
            if (notBuilt is not null)
            {
                Line(text, "not run", name + ": " + notBuilt);
            }
        }

        Line(text, "crashes", _run.Crashes + " of " + _options.Crashes + " (SIGKILL, restarted on the same store)");
        Line(text, "writes acknowledged", _run.Ledger.Acknowledged.ToString("N0", CultureInfo.InvariantCulture));
        Line(text, "writes in doubt", _run.Ledger.InDoubt + " (the kill came before the answer: old or new content allowed)" + (_run.Ledger.Refused == 0 ? string.Empty : "; " + _run.Ledger.Refused + " not run (BUSY, TASK SET FULL, or DATA PROTECT at a swapped determining pair's old P-VOL)"));
        Line(text, "lost", f.Lost.ToString(CultureInfo.InvariantCulture));
        Line(text, "torn", f.Torn.ToString(CultureInfo.InvariantCulture));
        Line(text, "misplaced", f.Misplaced.ToString(CultureInfo.InvariantCulture));
        Line(text, "blocks checked", f.BlocksChecked.ToString("N0", CultureInfo.InvariantCulture));
        Line(text, "pairs checked", f.PairsChecked + " states after restarts, " + f.PairStateViolations + " not allowed by the restart table");
        if (_run.Tallies.ContainsKey(CrashScenario.DeterminingSwap))
        {
            Line(text, "determining swaps", f.SwapsTaken + " taken, " + f.SwapsNotTaken + " not taken, " + f.SwapsWithTwoSVols + " left with two S-VOL rows (sent again, then taken); roles disagreeing: " + f.RoleViolations);
        }

        Line(text, "split images", f.SplitImagesChecked + " checked, " + f.SplitImageViolations + " violations; atomic splits not whole: " + f.AtomicityViolations);
        Line(text, "S != P", f.SNotEqualP + " of " + f.PairsCompared + " comparisons (PAIR after a restart, and after every resync)");
        Line(text, "graceful stops", _run.GracefulStopExitCodes.Count == 0 ? "not reached" : "exit " + string.Join(", ", _run.GracefulStopExitCodes) + "; then every pair and block as left" + (_run.Ss2GracefulStopExitCode is int ss2 ? "; SS2 exit " + ss2 : string.Empty));
        Line(text, "seconds", _run.Seconds.ToString("F1", CultureInfo.InvariantCulture));
        Line(text, "files", _directory);
        foreach (string problem in f.Problems)
        {
            Line(text, "problem", problem);
        }

        Line(text, "verdict", Passed ? "PASS: nothing acknowledged lost, no torn block, every state and image as the restart table says" : "FAIL");
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>The JSON report.</summary>
    /// <returns>One JSON object.</returns>
    public string ToJson()
    {
        CrashFindings f = _run.Findings;
        return JsonText.Object(writer =>
        {
            writer.WriteBoolean("passed", Passed);
            writer.WriteString("target", _target);
            writer.WriteString("policy", _options.WriteBack ? "write-back" : "write-through");
            writer.WriteNumber("seed", _options.Seed);
            writer.WriteNumber("luns", _options.Luns);
            writer.WriteNumber("capacityMib", _options.CapacityMib);
            writer.WriteNumber("queueDepth", _options.QueueDepth);
            writer.WriteNumber("crashesRequested", _options.Crashes);
            writer.WriteNumber("crashes", _run.Crashes);
            writer.WriteNumber("writesAcknowledged", _run.Ledger.Acknowledged);
            writer.WriteNumber("writesInDoubt", _run.Ledger.InDoubt);
            writer.WriteNumber("writesRefused", _run.Ledger.Refused);
            writer.WriteNumber("writesNotGood", _run.Ledger.NotGood);
            writer.WriteNumber("lost", f.Lost);
            writer.WriteNumber("torn", f.Torn);
            writer.WriteNumber("misplaced", f.Misplaced);
            writer.WriteNumber("blocksChecked", f.BlocksChecked);
            writer.WriteNumber("pairsChecked", f.PairsChecked);
            writer.WriteNumber("pairStateViolations", f.PairStateViolations);
            writer.WriteNumber("roleViolations", f.RoleViolations);
            writer.WriteNumber("swapsTaken", f.SwapsTaken);
            writer.WriteNumber("swapsNotTaken", f.SwapsNotTaken);
            writer.WriteNumber("swapsWithTwoSVols", f.SwapsWithTwoSVols);
            writer.WriteNumber("splitImagesChecked", f.SplitImagesChecked);
            writer.WriteNumber("splitImageViolations", f.SplitImageViolations);
            writer.WriteNumber("atomicityViolations", f.AtomicityViolations);
            writer.WriteNumber("pairsCompared", f.PairsCompared);
            writer.WriteNumber("sNotEqualP", f.SNotEqualP);
            writer.WriteNumber("failures", f.Failures);
            if (_run.Ss2GracefulStopExitCode is int ss2Code)
            {
                writer.WriteNumber("ss2GracefulStopExitCode", ss2Code);
            }

            writer.WriteStartArray("gracefulStopExitCodes");
            foreach (int code in _run.GracefulStopExitCodes)
            {
                writer.WriteNumberValue(code);
            }

            writer.WriteEndArray();
            writer.WriteNumber("seconds", Math.Round(_run.Seconds, 1));
            writer.WriteString("files", _directory);
            WriteScenarios(writer);
            WriteRounds(writer);
            writer.WriteStartArray("problems");
            foreach (string problem in f.Problems)
            {
                writer.WriteStringValue(problem);
            }

            writer.WriteEndArray();
        });
    }

    private static void Line(StringBuilder text, string label, string value)
    {
        text.Append("  ").Append(label.PadRight(20)).Append(' ').Append(value).Append('\n');
    }

    private void WriteScenarios(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("scenarios");
        foreach ((CrashScenario scenario, string name, string? notBuilt) in CrashScenarios.All)
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            if (_run.Tallies.TryGetValue(scenario, out ScenarioTally? tally))
            {
                writer.WriteNumber("runs", tally.Runs);
                writer.WriteNumber("unansweredAtKill", tally.UnansweredAtKill);
            }
            else
            {
                writer.WriteNumber("runs", 0);
                writer.WriteString("notBuilt", notBuilt);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private void WriteRounds(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("rounds");
        foreach (CrashRound round in _run.Rounds)
        {
            writer.WriteStartObject();
            writer.WriteNumber("round", round.Index);
            writer.WriteString("scenario", CrashScenarios.NameOf(round.Scenario));
            writer.WriteNumber("killMicroseconds", Math.Round(round.KillMicroseconds));
            writer.WriteString("command", round.Command);
            writer.WriteBoolean("answered", round.Answered);
            if (round.Answered)
            {
                writer.WriteNumber("answerMicroseconds", Math.Round(round.AnswerMicroseconds));
            }

            writer.WriteNumber("writesAcknowledged", round.WritesAcknowledged);
            writer.WriteNumber("writesInDoubt", round.WritesInDoubt);
            writer.WriteString("statesAfterRestart", round.StatesAfter);
            writer.WriteBoolean("clean", round.Clean);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
