// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;
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
        using JsonDocument loadReport = JsonDocument.Parse(load);
        using JsonDocument benchReport = JsonDocument.Parse(bench);

        string html = HtmlReport.Render(loadReport.RootElement, benchReport.RootElement, s_when);

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
}
