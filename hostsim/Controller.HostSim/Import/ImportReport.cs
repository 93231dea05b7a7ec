// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;
using Controller.HostSim.Cli;
using Controller.Traces;

namespace Controller.HostSim.Import;

/// <summary>The report of <c>hostsim import</c>, as text or JSON.</summary>
internal static class ImportReport
{
    public static string ToText(ImportSummary summary, string output)
    {
        StringBuilder text = new();
        text.Append(CultureInfo.InvariantCulture, $"hostsim import: {summary.Source} ({TraceFormats.NameOf(summary.Format)}) -> {output}\n");
        text.Append(CultureInfo.InvariantCulture, $"commands            {summary.Commands:N0} ({summary.Reads:N0} READ(16), {summary.Writes:N0} WRITE(16), {summary.Flushes:N0} SYNCHRONIZE CACHE(16))\n");
        text.Append(CultureInfo.InvariantCulture, $"bytes               {summary.BytesRead:N0} read, {summary.BytesWritten:N0} written\n");
        text.Append(CultureInfo.InvariantCulture, $"span                {summary.SpanNanoseconds / 1e9:F3} s\n");
        text.Append(CultureInfo.InvariantCulture, $"lines without I/O   {summary.IgnoredLines:N0}\n");
        text.Append(CultureInfo.InvariantCulture, $"bad lines skipped   {summary.SkippedBadLines:N0}\n");
        foreach (string message in summary.BadLineMessages)
        {
            text.Append("  ").Append(message).Append('\n');
        }

        if (summary.TimesMovedForward > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"times moved forward {summary.TimesMovedForward:N0} (earlier than the record before them)\n");
        }

        text.Append("device -> volume    commands   capacity needed\n");
        foreach (ImportedDevice device in summary.Devices)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {device.Name} -> {device.Volume}  {device.Commands,10:N0}   {device.EndBlock * 512.0 / (1 << 30):F2} GiB\n");
        }

        return text.ToString().TrimEnd();
    }

    public static string ToJson(ImportSummary summary, string output)
    {
        return JsonText.Object(writer =>
        {
            writer.WriteString("source", summary.Source);
            writer.WriteString("format", TraceFormats.NameOf(summary.Format));
            writer.WriteString("output", output);
            writer.WriteNumber("commands", summary.Commands);
            writer.WriteNumber("reads", summary.Reads);
            writer.WriteNumber("writes", summary.Writes);
            writer.WriteNumber("flushes", summary.Flushes);
            writer.WriteNumber("bytesRead", summary.BytesRead);
            writer.WriteNumber("bytesWritten", summary.BytesWritten);
            writer.WriteNumber("spanNanoseconds", summary.SpanNanoseconds);
            writer.WriteNumber("ignoredLines", summary.IgnoredLines);
            writer.WriteNumber("skippedBadLines", summary.SkippedBadLines);
            writer.WriteNumber("timesMovedForward", summary.TimesMovedForward);
            writer.WriteStartArray("badLines");
            foreach (string message in summary.BadLineMessages)
            {
                writer.WriteStringValue(message);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("devices");
            foreach (ImportedDevice device in summary.Devices)
            {
                WriteDevice(writer, device);
            }

            writer.WriteEndArray();
        });
    }

    private static void WriteDevice(Utf8JsonWriter writer, ImportedDevice device)
    {
        writer.WriteStartObject();
        writer.WriteString("device", device.Name);
        writer.WriteString("volume", device.Volume.ToString());
        writer.WriteNumber("commands", device.Commands);
        writer.WriteNumber("endBlock", device.EndBlock);
        writer.WriteEndObject();
    }
}
