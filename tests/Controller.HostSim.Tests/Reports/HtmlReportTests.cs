// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.RegularExpressions;
using System.Xml.Linq;
using Controller.HostSim.Reports;

namespace Controller.HostSim.Tests.Reports;

[NonParallelizable]
public sealed class HtmlReportTests
{
    private static readonly DateTimeOffset s_when = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    [Test]
    public void APageFromALoadAndABenchHasItsThreeChartsAsWellFormedSvgAndNoScript()
    {
        (int loadCode, string load, _) = CommandLine.Run(["load", "--seconds", "1", "--capacity-mib", "8", "--read-percent", "20", "--mirror", "0x400104,0x0001=0x400104,0x0002", "--split-at-seconds", "0.4", "--json"]);
        (int benchCode, string bench, _) = CommandLine.Run(["bench", "split", "--members", "1,8", "--splits", "5", "--baseline", "0.2", "--json"]);
        Assert.That((loadCode, benchCode), Is.EqualTo((0, 0)), "both runs pass");
        LoadReportDocument loadReport = ReportCommand.Parse(load, ReportJsonContext.Default.LoadReportDocument, "load");
        BenchReportDocument benchReport = ReportCommand.Parse(bench, ReportJsonContext.Default.BenchReportDocument, "bench");

        string html = HtmlReport.Render(loadReport, benchReport, s_when);

        MatchCollection charts = Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline);
        Assert.That(charts, Has.Count.EqualTo(3), "latency histogram, latency over time, split latency against members");
        foreach (Match chart in charts)
        {
            Assert.DoesNotThrow(() => XDocument.Parse(chart.Value), "each chart is well-formed SVG");
        }

        Assert.That(html, Does.Not.Contain("<script"), "no script: the page is static");
        Assert.That(Regex.Matches(html, "(src|href)=").Count, Is.Zero, "self-contained: no external file");
        Assert.That(charts[1].Value, Does.Contain("split 1 ("), "the split is marked on the timeline");
        Assert.That(charts[2].Value, Does.Contain("freeze p99").And.Contain("sequence-cut p50"), "both mechanisms against member count");
    }

    [Test]
    public void EveryTextTheReportsCarryIsHtmlEncodedOnThePage()
    {
        // A report file is input: its strings (the load's pattern, a bench run's mechanism) reach the page only
        // encoded, so a hostile or odd value cannot add markup or a script to a page that promises none.
        const string Hostile = "<script>alert(1)</script> & <x-injected>";
        string load = LoadJson(pattern: Hostile);
        string bench = """{ "queueDepth": 32, "loadLuns": 8, "runs": [ { "mechanism": "<script>x</script> & co", "members": 8, "splitLatencyMicroseconds": { "p50": 10, "p99": 20 }, "holdMicroseconds": { "p99": 5 } } ] }""";

        string html = HtmlReport.Render(
            ReportCommand.Parse(load, ReportJsonContext.Default.LoadReportDocument, "load"),
            ReportCommand.Parse(bench, ReportJsonContext.Default.BenchReportDocument, "bench"),
            s_when);

        Assert.That(html, Does.Not.Contain("<script"), "no script from the reports' text: " + html);
        Assert.That(html, Does.Not.Contain("<x-injected"), "no markup from the reports' text");
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;x-injected&gt;"), "the pattern is shown, encoded");
        Assert.That(html, Does.Contain("&lt;script&gt;x&lt;/script&gt; &amp; co"), "the mechanism is shown, encoded");
    }

    [Test]
    public void AReportWithoutAFieldThePageDrawsIsRefusedNamingTheField()
    {
        string load = LoadJson(pattern: "random").Replace("\"pattern\": \"random\",", string.Empty, StringComparison.Ordinal);

        InvalidOperationException? refused = Assert.Throws<InvalidOperationException>(() => ReportCommand.Parse(load, ReportJsonContext.Default.LoadReportDocument, "load.json (--load)"));

        Assert.That(refused!.Message, Does.Contain("load.json (--load)").And.Contain("pattern"), "names the file and the missing field");
    }

    [Test]
    public void AReportCommandWithABadFileExitsWithTwoNamingIt()
    {
        string bad = Path.Combine(Path.GetTempPath(), "not-json-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(bad, "this is not json");
        try
        {
            (int code, _, string error) = CommandLine.Run(["report", Path.Combine(Path.GetTempPath(), "x.html"), "--load", bad]);

            Assert.That(code, Is.EqualTo(2), "bad input");
            Assert.That(error, Does.Contain(bad).And.Contain("not JSON"), "names the file");
        }
        finally
        {
            File.Delete(bad);
        }
    }

    private static string LoadJson(string pattern)
    {
        return "{ \"target\": \"embedded\", \"luns\": 1, \"readPercent\": 30, \"blockSizes\": \"4k\", \"pattern\": " + System.Text.Json.JsonSerializer.Serialize(pattern) + ","
            + " \"queueDepth\": 32, \"seconds\": 1, \"commandsPerSecond\": 1000,"
            + " \"readLatencyMicroseconds\": { \"count\": 0, \"p50\": 0, \"p90\": 0, \"p99\": 0, \"p99_9\": 0, \"p99_99\": 0, \"max\": 0 },"
            + " \"writeLatencyMicroseconds\": { \"count\": 10, \"p50\": 5, \"p90\": 6, \"p99\": 7, \"p99_9\": 8, \"p99_99\": 9, \"max\": 10 },"
            + " \"writeHistogram\": [ { \"fromMicroseconds\": 4, \"count\": 10 } ], \"timeline\": [ { \"atSeconds\": 0, \"meanWriteMicroseconds\": 5, \"maxWriteMicroseconds\": 10 } ], \"splits\": [] }";
    }
}
