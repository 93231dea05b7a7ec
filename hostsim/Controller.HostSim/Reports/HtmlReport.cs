// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Net;
using System.Text;

namespace Controller.HostSim.Reports;

/// <summary>
/// A self-contained HTML page (inline CSS and SVG, no script, no external file) from hostsim's JSON reports: a
/// <c>hostsim load</c> report gives the latency histogram and write latency over time with its splits marked; a
/// <c>hostsim bench split</c> report gives split latency against member count. Either may be missing.
/// </summary>
internal static class HtmlReport
{
    private const string Style = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1040px; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
        .meta { color: #666; margin-bottom: 16px; }
        table { border-collapse: collapse; margin: 8px 0 4px; } td, th { padding: 3px 10px; text-align: right; border-bottom: 1px solid #e4e4e4; }
        th:first-child, td:first-child { text-align: left; }
        svg { display: block; margin: 10px 0 4px; } svg text { font: 11px system-ui, sans-serif; fill: #333; }
        svg .title { font-size: 13px; font-weight: 600; } svg .label { font-size: 12px; fill: #555; }
        svg .plot { fill: #fafafa; stroke: #bbb; } svg .grid { stroke: #e6e6e6; } svg .tick { stroke: #999; }
        .note { color: #777; font-size: 12px; }
        """;

    private static readonly string[] s_colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"];

    /// <summary>Renders the page.</summary>
    /// <param name="load">A <c>hostsim load --json</c> report, or null.</param>
    /// <param name="bench">A <c>hostsim bench split --json</c> report, or null.</param>
    /// <param name="generated">When the page was made (shown; a parameter so that tests can fix it).</param>
    /// <returns>The HTML text.</returns>
    public static string Render(LoadReportDocument? load, BenchReportDocument? bench, DateTimeOffset generated)
    {
        StringBuilder html = new();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>hostsim report</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<h1>hostsim report</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"meta\">generated {generated:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {WebUtility.HtmlEncode(Environment.OSVersion.ToString())}</div>");
        if (load is not null)
        {
            AppendLoad(html, load);
        }

        if (bench is not null)
        {
            AppendBench(html, bench);
        }

        if (load is null && bench is null)
        {
            html.Append("<p class=\"note\">No report given: pass a hostsim load --json report, a hostsim bench split --json report, or both.</p>");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void AppendLoad(StringBuilder html, LoadReportDocument load)
    {
        html.Append("<h2>Load</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<div>{WebUtility.HtmlEncode(load.Target)}: {load.Luns} LUN(s), {100 - load.ReadPercent}% writes, block sizes {WebUtility.HtmlEncode(load.BlockSizes)}, {WebUtility.HtmlEncode(load.Pattern)}, queue depth {load.QueueDepth}, {load.Seconds:F1} s: <b>{load.CommandsPerSecond:N0} commands/s</b></div>");
        html.Append("<table><tr><th>latency (us)</th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>p99.99</th><th>max</th></tr>");
        foreach ((string name, LatencySummaryDocument l) in (ReadOnlySpan<(string, LatencySummaryDocument)>)[("writes", load.WriteLatencyMicroseconds), ("reads", load.ReadLatencyMicroseconds)])
        {
            if (l.Count == 0)
            {
                continue;
            }

            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{name}</td><td>{l.Count:N0}</td><td>{l.P50:F1}</td><td>{l.P90:F1}</td><td>{l.P99:F1}</td><td>{l.P999:F1}</td><td>{l.P9999:F1}</td><td>{l.Max:F1}</td></tr>");
        }

        html.Append("</table>");
        html.Append(Histogram(load));
        html.Append(Timeline(load));
        if (load.Splits.Length > 0)
        {
            html.Append("<table><tr><th>split</th><th>at (s)</th><th>answer</th><th>latency (us)</th><th>resync (s)</th></tr>");
            int n = 1;
            foreach (LoadSplitDocument split in load.Splits)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{n++}</td><td>{split.AtSeconds:F2}</td><td>{WebUtility.HtmlEncode(split.Answer)}</td><td>{split.LatencyMicroseconds:F0}</td><td>{split.ResyncSeconds:F2}</td></tr>");
            }

            html.Append("</table>");
        }
    }

    private static string Histogram(LoadReportDocument load)
    {
        List<(double From, long Count)> buckets = [];
        foreach (HistogramBucketDocument bucket in load.WriteHistogram)
        {
            buckets.Add((bucket.FromMicroseconds, bucket.Count));
        }

        if (buckets.Count == 0)
        {
            return "<p class=\"note\">No writes: no write latency histogram.</p>";
        }

        double min = Math.Max(0.1, Math.Pow(10, Math.Floor(Math.Log10(Math.Max(0.1, buckets[0].From)))));
        double max = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(min * 10, buckets[^1].From * 1.2))));
        long tallest = 0;
        foreach ((_, long count) in buckets)
        {
            tallest = Math.Max(tallest, count);
        }

        SvgChart chart = new(1000, 300, new SvgChart.Axis(min, max, Log: true, "write latency (us), log scale"), new SvgChart.Axis(0, tallest * 1.1, Log: false, "writes"));
        List<(double, double, double)> bars = [];
        for (int i = 0; i < buckets.Count; i++)
        {
            // Eight buckets per doubling: each spans a factor of 2^(1/8).
            bars.Add((Math.Max(buckets[i].From, min), buckets[i].From * 1.0905, buckets[i].Count));
        }

        chart.Bars(bars, s_colors[0]);
        return chart.Render("Write latency histogram (log-linear buckets)");
    }

    private static string Timeline(LoadReportDocument load)
    {
        List<(double, double)> mean = [];
        List<(double, double)> max = [];
        double top = 1;
        double end = load.Seconds;
        foreach (TimelineBucketDocument bucket in load.Timeline)
        {
            double at = bucket.AtSeconds;
            double m = bucket.MeanWriteMicroseconds;
            double x = bucket.MaxWriteMicroseconds;
            if (x <= 0)
            {
                continue;
            }

            mean.Add((at, Math.Max(m, 0.1)));
            max.Add((at, x));
            top = Math.Max(top, x);
            end = Math.Max(end, at);
        }

        if (mean.Count == 0)
        {
            return string.Empty;
        }

        double bottom = 1;
        foreach ((_, double m) in mean)
        {
            bottom = Math.Min(bottom, m);
        }

        SvgChart chart = new(1000, 320, new SvgChart.Axis(0, end, Log: false, "seconds into the load"), new SvgChart.Axis(Math.Pow(10, Math.Floor(Math.Log10(bottom))), Math.Pow(10, Math.Ceiling(Math.Log10(top * 1.5))), Log: true, "write latency (us), log scale"));
        chart.Line(max, s_colors[1], "max per 100 ms");
        chart.Line(mean, s_colors[0], "mean per 100 ms");
        int n = 1;
        foreach (LoadSplitDocument split in load.Splits)
        {
            chart.Marker(split.AtSeconds, "split " + n++ + " (" + split.LatencyMicroseconds.ToString("F0", CultureInfo.InvariantCulture) + " us)", "#555");
        }

        return chart.Render("Write latency over time, splits marked");
    }

    private static void AppendBench(StringBuilder html, BenchReportDocument bench)
    {
        html.Append("<h2>Atomic split latency against member count</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<div>4 KiB writes at queue depth {bench.QueueDepth} over {bench.LoadLuns} LUNs while splitting (hostsim bench split)</div>");
        SortedDictionary<string, List<(double Members, double P50, double P99, double Hold)>> byMechanism = new(StringComparer.Ordinal);
        double top = 1;
        double bottom = 1e9;
        double most = 1;
        foreach (BenchRunDocument run in bench.Runs)
        {
            string mechanism = run.Mechanism;
            double members = run.Members;
            (double, double, double, double) point = (members, run.SplitLatencyMicroseconds.P50, run.SplitLatencyMicroseconds.P99, run.HoldMicroseconds.P99);
            if (!byMechanism.TryGetValue(mechanism, out List<(double, double, double, double)>? points))
            {
                points = [];
                byMechanism[mechanism] = points;
            }

            points.Add(point);
            top = Math.Max(top, point.Item3);
            bottom = Math.Min(bottom, Math.Max(0.1, point.Item2));
            most = Math.Max(most, members);
        }

        SvgChart chart = new(1000, 340, new SvgChart.Axis(1, Math.Pow(10, Math.Ceiling(Math.Log10(most * 1.5))), Log: true, "members of the split (log scale)"), new SvgChart.Axis(Math.Pow(10, Math.Floor(Math.Log10(bottom))), Math.Pow(10, Math.Ceiling(Math.Log10(top * 1.5))), Log: true, "split latency (us), log scale"));
        int color = 0;
        html.Append("<table><tr><th>mechanism</th><th>members</th><th>split p50 (us)</th><th>split p99 (us)</th><th>host-visible hold p99 (us)</th></tr>");
        foreach ((string mechanism, List<(double Members, double P50, double P99, double Hold)> points) in byMechanism)
        {
            points.Sort((a, b) => a.Members.CompareTo(b.Members));
            chart.Line(points.ConvertAll(p => (p.Members, p.P50)), s_colors[color % s_colors.Length], mechanism + " p50", markers: true);
            chart.Line(points.ConvertAll(p => (p.Members, p.P99)), s_colors[(color + 1) % s_colors.Length], mechanism + " p99", markers: true);
            color += 2;
            foreach ((double members, double p50, double p99, double hold) in points)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{WebUtility.HtmlEncode(mechanism)}</td><td>{members:F0}</td><td>{p50:F1}</td><td>{p99:F1}</td><td>{hold:F1}</td></tr>");
            }
        }

        html.Append("</table>");
        html.Append(chart.Render("Split latency against member count"));
    }
}
