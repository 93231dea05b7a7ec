// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.Text.Json;
using Controller.HostSim.Cli;
using Controller.HostSim.Reports;

namespace Controller.HostSim;

/// <summary><c>hostsim report</c>: a self-contained HTML page with SVG charts from hostsim's JSON reports.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        Argument<string> output = new("html") { Description = "the page to write" };
        Option<string?> load = new("--load") { Description = "a hostsim load --json report: latency histogram, write latency over time with the splits marked", HelpName = "FILE" };
        Option<string?> bench = new("--bench") { Description = "a hostsim bench split --json report: split latency against member count", HelpName = "FILE" };
        Command command = new("report", "write a self-contained HTML page (inline SVG charts, no script) from hostsim load and hostsim bench split JSON reports") { output, load, bench };
        command.SetAction(parsed =>
        {
            JsonDocument? loadReport = null;
            JsonDocument? benchReport = null;
            if ((parsed.GetValue(load) is string loadPath && InputFile.IsMissing("report", loadPath, "--load"))
                || (parsed.GetValue(bench) is string benchPath && InputFile.IsMissing("report", benchPath, "--bench")))
            {
                return Program.BadUsage;
            }

            try
            {
                loadReport = Read(parsed.GetValue(load), "--load");
                benchReport = Read(parsed.GetValue(bench), "--bench");
                Write(parsed.GetValue(output)!, loadReport?.RootElement, benchReport?.RootElement);
                return 0;
            }
            catch (Exception bad) when (bad is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                Console.Error.WriteLine("hostsim report: " + bad.Message);
                return Program.BadUsage;
            }
            finally
            {
                loadReport?.Dispose();
                benchReport?.Dispose();
            }
        });
        return command;
    }

    /// <summary>Writes the page.</summary>
    /// <param name="path">The page's file.</param>
    /// <param name="load">A load report, or null.</param>
    /// <param name="bench">A bench split report, or null.</param>
    public static void Write(string path, JsonElement? load, JsonElement? bench)
    {
        string html;
        try
        {
            html = HtmlReport.Render(load, bench, DateTimeOffset.UtcNow);
        }
        catch (Exception bad) when (bad is KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException("a report lacks what the page draws (" + bad.Message + "): give the JSON of hostsim load --json and hostsim bench split --json", bad);
        }

        File.WriteAllText(path, html);
        Console.Error.WriteLine("hostsim: wrote " + path);
    }

    private static JsonDocument? Read(string? path, string option)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException bad)
        {
            throw new IOException(path + " (" + option + "): not JSON: " + bad.Message, bad);
        }
    }
}
