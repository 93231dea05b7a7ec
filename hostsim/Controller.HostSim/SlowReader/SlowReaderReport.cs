// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using Controller.HostSim.Cli;

namespace Controller.HostSim.SlowReader;

/// <summary>What <c>hostsim slow-reader</c> measured, and the verdict of each budget.</summary>
internal sealed record SlowReaderReport(
    SlowReaderOptions Options,
    long RssBeforeBytes,
    long RssPeakBytes,
    long RssAtLeaveBytes,
    long RssAfterBytes,
    double? ReturnedAfterSeconds,
    double IopsBefore,
    double IopsDuring,
    long NormalErrors,
    string? FirstError,
    int AttackersConnected,
    long AttackCommandsSent)
{
    public long GrowthBytes => RssPeakBytes - RssBeforeBytes;

    public double Ratio => IopsBefore > 0 ? IopsDuring / IopsBefore : 0;

    public bool MemoryMet => GrowthBytes <= Options.MaxGrowthBytes;

    public bool ReturnMet => ReturnedAfterSeconds is not null;

    public bool IopsMet => Ratio >= Options.MinRatio && NormalErrors == 0 && IopsBefore > 0;

    public bool Passed => MemoryMet && ReturnMet && IopsMet;

    public string ToText()
    {
        StringBuilder text = new();
        SlowReaderOptions o = Options;
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"slow-reader attack on {o.Target} (controller pid {o.Pid}): {AttackersConnected} of {o.Connections} attackers connected, each sent {o.Reads} READs of {Mib(o.ReadBytes)} MiB and read no answer ({AttackCommandsSent} commands sent in all)"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  daemon VmRSS before the attack  {Mib(RssBeforeBytes),10:F1} MiB"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  daemon VmRSS peak during it     {Mib(RssPeakBytes),10:F1} MiB  (growth {Mib(GrowthBytes):F1} MiB; budget {Mib(o.MaxGrowthBytes):F1} MiB: {Verdict(MemoryMet)})"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  daemon VmRSS when they left     {Mib(RssAtLeaveBytes),10:F1} MiB"));
        string returned = ReturnedAfterSeconds is double seconds
            ? string.Create(CultureInfo.InvariantCulture, $"back within {Mib(o.ReturnMarginBytes):F0} MiB of before after {seconds:F1} s")
            : string.Create(CultureInfo.InvariantCulture, $"not back within {Mib(o.ReturnMarginBytes):F0} MiB of before in {o.ReturnSeconds:F0} s");
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  daemon VmRSS after              {Mib(RssAfterBytes),10:F1} MiB  ({returned}; budget {o.ReturnSeconds:F0} s: {Verdict(ReturnMet)})"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  normal load (QD {o.QueueDepth}, 4 KiB random, half reads): {IopsBefore:F0} IOPS without the attack, {IopsDuring:F0} during it: {Ratio * 100:F1} % (budget {o.MinRatio * 100:F0} %: {Verdict(IopsMet)})"));
        if (NormalErrors > 0)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  normal load errors: {NormalErrors} (first: {FirstError})"));
        }

        text.Append(Passed ? "PASS: every budget met" : "FAIL: a budget was missed");
        return text.ToString();
    }

    public string ToJson()
    {
        return JsonText.Object(json =>
        {
            json.WriteBoolean("passed", Passed);
            json.WriteString("target", Options.Target.ToString());
            json.WriteNumber("pid", Options.Pid);
            json.WriteNumber("connections", Options.Connections);
            json.WriteNumber("attackersConnected", AttackersConnected);
            json.WriteNumber("readsPerConnection", Options.Reads);
            json.WriteNumber("readBytes", Options.ReadBytes);
            json.WriteNumber("attackCommandsSent", AttackCommandsSent);
            json.WriteNumber("rssBeforeBytes", RssBeforeBytes);
            json.WriteNumber("rssPeakBytes", RssPeakBytes);
            json.WriteNumber("rssAtLeaveBytes", RssAtLeaveBytes);
            json.WriteNumber("rssAfterBytes", RssAfterBytes);
            json.WriteNumber("growthBytes", GrowthBytes);
            json.WriteNumber("maxGrowthBytes", Options.MaxGrowthBytes);
            json.WriteBoolean("memoryMet", MemoryMet);
            if (ReturnedAfterSeconds is double seconds)
            {
                json.WriteNumber("returnedAfterSeconds", Math.Round(seconds, 3));
            }
            else
            {
                json.WriteNull("returnedAfterSeconds");
            }

            json.WriteNumber("returnSeconds", Options.ReturnSeconds);
            json.WriteBoolean("returnMet", ReturnMet);
            json.WriteNumber("iopsBefore", Math.Round(IopsBefore, 1));
            json.WriteNumber("iopsDuring", Math.Round(IopsDuring, 1));
            json.WriteNumber("ratio", Math.Round(Ratio, 4));
            json.WriteNumber("minRatio", Options.MinRatio);
            json.WriteNumber("normalErrors", NormalErrors);
            json.WriteBoolean("iopsMet", IopsMet);
        });
    }

    private static double Mib(long bytes)
    {
        return bytes / (1024.0 * 1024.0);
    }

    private static string Verdict(bool met)
    {
        return met ? "met" : "MISSED";
    }
}
