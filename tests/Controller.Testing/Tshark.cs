// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Text;
using NUnit.Framework;

namespace Controller.Testing;

/// <summary>Runs the real tshark on a file. A machine without tshark fails the test: the check is never skipped.</summary>
public static class Tshark
{
    private const string DefaultPath = "/usr/bin/tshark";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <c>tshark -n -r path</c> (plus <paramref name="arguments"/>) and returns its output lines, one per frame by default.</summary>
    public static string[] Read(string pcapPath, params string[] arguments)
    {
        string? tshark = Find();
        if (tshark is null)
        {
            Assert.Fail("tshark is required: tools/test.sh installs it (looked for " + DefaultPath + " and on PATH)");
        }

        ProcessStartInfo start = new(tshark!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // -n: no name resolution, so the output does not depend on the network or /etc files.
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add("-r");
        start.ArgumentList.Add(pcapPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("tshark did not start");
        // Both pipes are drained concurrently, so that a full stderr pipe cannot stall tshark.
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("tshark did not finish within " + Timeout.TotalSeconds + " s");
        }

        process.WaitForExit();
        string stdout = output.GetAwaiter().GetResult();
        string stderr = errors.GetAwaiter().GetResult();
        Assert.That(process.ExitCode, Is.Zero, "tshark -r " + pcapPath + " failed: " + stderr);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static string? Find()
    {
        if (File.Exists(DefaultPath))
        {
            return DefaultPath;
        }

        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, "tshark");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
