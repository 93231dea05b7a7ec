// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.Globalization;
using System.Net;
using Controller.Firmware.Measurement;
using Controller.Firmware.Pairs;
using Controller.HostSim.Cli;
using Controller.HostSim.Cluster;

namespace Controller.HostSim;

/// <summary>
/// <c>hostsim cluster</c>: seed 002's two-host cluster on two embedded subsystems. Each host's clustering software
/// watches the other's heartbeat; on a failure it reserves through the paired volume control software (FIG 5), and
/// the determining pair's storage lets exactly one win. Named scenarios (FIG 7 to FIG 13, R2-22 to R2-27).
/// </summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        Option<bool> list = new("--list") { Description = "list the scenarios and exit" };
        Option<string?> scenario = new("--scenario") { Description = "the scenario to run (see --list)", HelpName = "NAME" };
        Option<bool> json = CliOptions.Json();
        Option<int> interval = CliOptions.Int("--heartbeat-interval", "milliseconds between heartbeats", 20, 1, 10_000);
        Option<int> timeout = CliOptions.Int("--heartbeat-timeout", "milliseconds without a heartbeat before the clustering software declares a failure", 100, 1, 60_000);
        Option<int> defend = CliOptions.Int("--re-reserve-interval", "milliseconds between the owner's periodic re-reserves (0: none)", 50, 0, 60_000);
        Option<int> stagger = CliOptions.Int("--stagger", "milliseconds the slower host's timeout is longer, where a scenario needs one host first", 250, 1, 60_000);
        Option<string?> first = new("--first") { Description = "heartbeat-only: the host (H1 or H2) whose heartbeat timeout is shorter by --stagger, so it reserves first (default: both at once)", HelpName = "HOST" };
        Option<long> copyRate = CliOptions.Long("--copy-rate", "copy rate of both storages in KiB/s (0 = as fast as the MPs go): how long COPYING lasts", 0, 0);
        Option<int> rcLatency = CliOptions.Int("--rc-latency", "one-way delay in milliseconds of each remote-copy link's messages (embedded only)", 0, 0, 10_000);
        Option<bool> resetPasses = new("--reset-passes-through") { Description = "a RESET passes through to the determining volume instead of splitting the pair (FIG 6)" };
        Option<bool> reReserve = new("--re-reserve-command") { Description = "send the owner's periodic re-reserve to the storage (FIG 4 answers ABNORMAL END) instead of succeeding without a command" };
        Option<bool> noFence = new("--no-self-fence") { Description = "an active host that loses the reserve keeps using the data (R2-16's self-fence off)" };
        Option<int> cycles = CliOptions.Int("--cycles", "arbitrations of the repeated scenario", 4, 1, 1000);
        Option<int> runs = CliOptions.Int("--runs", "run the scenario this many times (takeover times summarized)", 1, 1, 10_000);
        Option<IPEndPoint?> sd1 = CliOptions.Target("--sd1", "SD1, a running controllerd (e.g. 127.0.0.1:3225 with docs/controllerd-ss1.conf, fresh); give --sd2 too");
        Option<IPEndPoint?> sd2 = CliOptions.Target("--sd2", "SD2, a running controllerd (e.g. 127.0.0.1:3226 with docs/controllerd-ss2.conf, fresh); give --sd1 too");
        Command command = new("cluster", "seed 002's two-host cluster: heartbeat, RESERVE through the paired volume control software, the determining pair deciding the one winner, takeover of the data pair; exit 1 if a scenario's verdict fails")
        {
            list, scenario, json, interval, timeout, defend, stagger, first, copyRate, rcLatency, resetPasses, reReserve, noFence, cycles, runs, sd1, sd2,
        };
        command.Validators.Add(result =>
        {
            string? name = result.GetValue(scenario);
            if (!result.GetValue(list) && name is null)
            {
                result.AddError("bad argument: give --scenario NAME or --list");
            }
            else if (name is not null && ClusterScenario.Find(name) is null)
            {
                result.AddError("bad argument: no scenario '" + name + "'; the scenarios are " + string.Join(", ", ClusterScenario.All.Select(s => s.Name)));
            }
            else if (result.GetValue(first) is string host && (host.ToUpperInvariant() is not ("H1" or "H2") || name != "heartbeat-only"))
            {
                result.AddError("bad argument: --first takes H1 or H2, and only with --scenario heartbeat-only (the other scenarios choose who reserves first)");
            }
            else if ((result.GetValue(sd1) is null) != (result.GetValue(sd2) is null))
            {
                result.AddError("bad argument: --sd1 and --sd2 go together (two controllerd), or neither (embedded)");
            }
            else if (result.GetValue(sd1) is not null && result.GetValue(rcLatency) > 0)
            {
                result.AddError("bad argument: --rc-latency delays the embedded links; two controllerd's link is theirs");
            }
            else if (result.GetValue(sd1) is not null && name is not null && ClusterScenario.Find(name)!.InjectsStorageFaults)
            {
                result.AddError("bad argument: scenario '" + name + "' cuts the remote-copy link or fails SD1, which only the embedded site can do");
            }
        });
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(list))
            {
                return List(parsed.GetValue(json));
            }

            ClusterOptions options = OptionsOf(parsed);
            return Run(ClusterScenario.Find(parsed.GetValue(scenario)!)!, options, parsed.GetValue(runs), parsed.GetValue(json));
        });
        return command;
    }

    /// <summary>The configuration a parsed command line gives (R2-30): each option reaches the object that uses it.</summary>
    /// <param name="parsed">The parsed <c>cluster</c> command line.</param>
    /// <returns>The options.</returns>
    internal static ClusterOptions OptionsOf(ParseResult parsed)
    {
        long copyRate = parsed.GetValue<long>("--copy-rate");
        return new ClusterOptions
        {
            Timing = new ClusterTiming(Milliseconds(parsed, "--heartbeat-interval"), Milliseconds(parsed, "--heartbeat-timeout"), Milliseconds(parsed, "--stagger"), Milliseconds(parsed, "--re-reserve-interval")),
            Pvc = new PvcOptions { ResetSplits = !parsed.GetValue<bool>("--reset-passes-through"), OwnerReReserveWithoutCommand = !parsed.GetValue<bool>("--re-reserve-command") },
            Pace = copyRate == 0 ? CopyPace.Default : new CopyPace { BytesPerSecond = copyRate * 1024 },
            First = parsed.GetValue<string?>("--first")?.ToUpperInvariant() switch { "H1" => 1, "H2" => 2, _ => 0 },
            SelfFence = !parsed.GetValue<bool>("--no-self-fence"),
            Cycles = parsed.GetValue<int>("--cycles"),
            LinkLatency = Milliseconds(parsed, "--rc-latency"),
            Sd1 = parsed.GetValue<IPEndPoint?>("--sd1"),
            Sd2 = parsed.GetValue<IPEndPoint?>("--sd2"),
        };
    }

    private static TimeSpan Milliseconds(ParseResult parsed, string option)
    {
        return TimeSpan.FromMilliseconds(parsed.GetValue<int>(option));
    }

    private static int List(bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonText.Object(writer =>
            {
                writer.WriteStartArray("scenarios");
                foreach (ClusterScenario s in ClusterScenario.All)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", s.Name);
                    writer.WriteString("title", s.Title);
                    writer.WriteString("requirements", s.Requirements);
                    writer.WriteString("expectedWinner", s.ExpectedWinner);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }));
            return 0;
        }

        foreach (ClusterScenario s in ClusterScenario.All)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Name,-22} {s.Title} ({s.Requirements}; winner: {s.ExpectedWinner})"));
        }

        return 0;
    }

    private static int Run(ClusterScenario scenario, ClusterOptions options, int runs, bool json)
    {
        List<ClusterReport> reports = [];
        for (int i = 0; i < runs; i++)
        {
            try
            {
                reports.Add(scenario.RunAsync(options).GetAwaiter().GetResult());
            }
            catch (Exception failure) when (AuxSystemCommand.IsExpected(failure))
            {
                // A refusal (pairs in the way), a site that could not be armed, a subsystem out of reach: exit 1.
                Console.Error.WriteLine("hostsim cluster: " + (runs > 1 ? "run " + (i + 1) + " of " + runs + ": " : string.Empty) + failure.Message);
                return 1;
            }
        }

        double[] takeovers = [.. reports.SelectMany(r => r.TakeoverTimes).Select(t => t.TotalMilliseconds).Order()];
        double[] reserveAndTakeovers = [.. reports.SelectMany(r => r.ReserveAndTakeoverTimes).Select(t => t.TotalMilliseconds).Order()];
        int passed = reports.Count(r => r.Passed);
        if (json)
        {
            Console.Out.WriteLine(runs == 1 ? JsonText.Object(reports[0].WriteMembers) : JsonText.Object(writer =>
            {
                writer.WriteString("scenario", scenario.Name);
                writer.WriteNumber("runs", runs);
                writer.WriteNumber("passed", passed);
                writer.WriteStartObject("winners");
                foreach (IGrouping<string, ClusterReport> won in reports.GroupBy(r => r.Outcome.Winner).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    writer.WriteNumber(won.Key, won.Count());
                }

                writer.WriteEndObject();
                ClusterReport[] raced = [.. reports.Where(r => r.FirstToSend is not null)];
                writer.WriteNumber("racedRuns", raced.Length);
                writer.WriteNumber("wonByFirstToSend", raced.Count(r => r.FirstToSend == r.Outcome.Winner));
                writer.WriteStartObject("refusals");
                foreach (IGrouping<string, string> refused in reports.SelectMany(r => r.Refusals).GroupBy(r => r).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    writer.WriteNumber(refused.Key, refused.Count());
                }

                writer.WriteEndObject();
                WriteSummary(writer, "takeoverMilliseconds", takeovers);
                WriteSummary(writer, "reserveAndTakeoverMilliseconds", reserveAndTakeovers);
                writer.WriteStartArray("reports");
                foreach (ClusterReport report in reports)
                {
                    writer.WriteStartObject();
                    report.WriteMembers(writer);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }));
        }
        else
        {
            Console.Out.WriteLine(reports[^1].ToText());
            if (runs > 1)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  runs    {passed} of {runs} passed; winners {string.Join(" ", reports.GroupBy(r => r.Outcome.Winner).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key + " x" + g.Count()))}"));
                ClusterReport[] raced = [.. reports.Where(r => r.FirstToSend is not null)];
                if (raced.Length > 0)
                {
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sent    {raced.Count(r => r.FirstToSend == r.Outcome.Winner)} of {raced.Length} runs where both hosts sent a RESERVE were won by the host that sent its pair command first (first to send: {string.Join(" ", raced.GroupBy(r => r.FirstToSend).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key + " x" + g.Count()))}; the owner decides by arrival there, and H2's swap resync has one hop more)"));
                }

                string[] refusals = [.. reports.SelectMany(r => r.Refusals)];
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  refusals (ABNORMAL END reasons of every pair command, all runs): {(refusals.Length == 0 ? "none" : string.Join(" ", refusals.GroupBy(r => r).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key + " x" + g.Count())))}"));
                if (takeovers.Length > 0)
                {
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  takeover from the last heartbeat: p50 {Percentile(takeovers, 0.50):F1} ms, p99 {Percentile(takeovers, 0.99):F1} ms, max {takeovers[^1]:F1} ms ({takeovers.Length} takeovers; the heartbeat timeout is {options.Timing.Timeout.TotalMilliseconds} ms of it)"));
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  of it, from declaring the failure (RESERVE and the data takeover): p50 {Percentile(reserveAndTakeovers, 0.50):F1} ms, p99 {Percentile(reserveAndTakeovers, 0.99):F1} ms, max {reserveAndTakeovers[^1]:F1} ms"));
                }
            }
        }

        return passed == runs ? 0 : 1;
    }

    private static void WriteSummary(System.Text.Json.Utf8JsonWriter writer, string name, double[] takeovers)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("count", takeovers.Length);
        if (takeovers.Length > 0)
        {
            writer.WriteNumber("p50", Math.Round(Percentile(takeovers, 0.50), 2));
            writer.WriteNumber("p99", Math.Round(Percentile(takeovers, 0.99), 2));
            writer.WriteNumber("max", Math.Round(takeovers[^1], 2));
        }

        writer.WriteEndObject();
    }

    private static double Percentile(double[] sorted, double p)
    {
        return NearestRank.Of<double>(sorted, p);
    }
}
