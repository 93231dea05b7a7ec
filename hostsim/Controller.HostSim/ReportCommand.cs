// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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
            if ((parsed.GetValue(load) is string loadPath && InputFile.IsMissing("report", loadPath, "--load"))
                || (parsed.GetValue(bench) is string benchPath && InputFile.IsMissing("report", benchPath, "--bench")))
            {
                return Program.BadUsage;
            }

            try
            {
                LoadReportDocument? loadReport = Read(parsed.GetValue(load), "--load", ReportJsonContext.Default.LoadReportDocument);
                BenchReportDocument? benchReport = Read(parsed.GetValue(bench), "--bench", ReportJsonContext.Default.BenchReportDocument);
                Write(parsed.GetValue(output)!, loadReport, benchReport);
                return 0;
            }
            catch (Exception bad) when (bad is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                Console.Error.WriteLine("hostsim report: " + bad.Message);
                return Program.BadUsage;
            }
        });
        return command;
    }

    /// <summary>Writes the page.</summary>
    /// <param name="path">The page's file.</param>
    /// <param name="load">A load report, or null.</param>
    /// <param name="bench">A bench split report, or null.</param>
    public static void Write(string path, LoadReportDocument? load, BenchReportDocument? bench)
    {
        string html = HtmlReport.Render(load, bench, DateTimeOffset.UtcNow);
        File.WriteAllText(path, html);
        Console.Error.WriteLine("hostsim: wrote " + path);
    }

    /// <summary>Reads a report as its typed record (source-generated, <see cref="ReportJsonContext"/>).</summary>
    /// <typeparam name="T">The report's record.</typeparam>
    /// <param name="text">The JSON text.</param>
    /// <param name="type">The record's type information.</param>
    /// <param name="source">What to name in a message: the file and its option.</param>
    /// <returns>The record.</returns>
    /// <exception cref="IOException">The text is not JSON.</exception>
    /// <exception cref="InvalidOperationException">The JSON lacks a field the page draws.</exception>
    public static T Parse<T>(string text, JsonTypeInfo<T> type, string source)
    {
        using JsonDocument document = ParseDocument(text, source);
        try
        {
            return document.Deserialize(type) ?? throw new JsonException("the report is null");
        }
        catch (JsonException bad)
        {
            throw new InvalidOperationException(source + ": a report lacks what the page draws (" + bad.Message + "): give the JSON of hostsim load --json and hostsim bench split --json", bad);
        }
    }

    private static JsonDocument ParseDocument(string text, string source)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException bad)
        {
            throw new IOException(source + ": not JSON: " + bad.Message, bad);
        }
    }

    private static T? Read<T>(string? path, string option, JsonTypeInfo<T> type)
        where T : class
    {
        return path is null ? null : Parse(File.ReadAllText(path), type, path + " (" + option + ")");
    }
}
