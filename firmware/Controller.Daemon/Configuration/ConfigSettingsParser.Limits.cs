// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Target;

namespace Controller.Daemon.Configuration;

/// <summary>
/// The bounded-resource settings (docs/controllerd.md, "Bounded resources"): <c>max-connections N</c>,
/// <c>send-queue-limit SIZE</c>, <c>send-queue-total SIZE</c>, and <c>login-timeout</c>, <c>frame-timeout</c>,
/// <c>send-timeout</c>, <c>idle-timeout</c>, each <c>SECONDS</c> or <c>off</c>. Each may appear once.
/// </summary>
internal sealed partial class ConfigSettingsParser
{
    /// <summary>The smallest send-queue limit or total: 64 KiB (less would hold back even a 4 KiB read workload).</summary>
    internal const long MinSendQueueBytes = 64 * 1024;

    /// <summary>The longest timeout that can be written: one day.</summary>
    internal const int MaxTimeoutSeconds = 86_400;

    private readonly int[] _limitLines = new int[7];
    private ConnectionLimits _limits = ConnectionLimits.Default;
    private int _sendQueueLimitLine;

    // The statements of this file, in the order of _limitLines; null when the keyword is not one of them.
    private static int LimitIndex(string keyword)
    {
        return keyword switch
        {
            "max-connections" => 0,
            "send-queue-limit" => 1,
            "send-queue-total" => 2,
            "login-timeout" => 3,
            "frame-timeout" => 4,
            "send-timeout" => 5,
            "idle-timeout" => 6,
            _ => -1,
        };
    }

    /// <summary>Parses the line if it is a bounded-resource setting.</summary>
    /// <returns>False when the keyword is not one of them.</returns>
    private bool TryParseLimit(int line)
    {
        int index = LimitIndex(_words[0]);
        if (index < 0)
        {
            return false;
        }

        string usage = index switch
        {
            0 => "max-connections COUNT",
            1 or 2 => _words[0] + " SIZE",
            _ => _words[0] + " SECONDS | off",
        };
        ExpectWordCount(line, 2, usage);
        SetOnce(line, ref _limitLines[index]);
        string text = _words[1];
        switch (index)
        {
            case 0:
                if (!ConfigValues.TryParseCount(text, "max-connections", 1, 65_535, out int connections, out string? error))
                {
                    Fail(line, error);
                }

                _limits = _limits with { MaxConnections = connections };
                break;
            case 1:
                _sendQueueLimitLine = line;
                _limits = _limits with { SendQueueLimit = ParseSendQueueSize(line, text, "send-queue-limit") };
                CheckSendQueueTotal(line);
                break;
            case 2:
                _limits = _limits with { SendQueueTotal = ParseSendQueueSize(line, text, "send-queue-total") };
                CheckSendQueueTotal(line);
                break;
            case 3:
                _limits = _limits with { LoginTimeout = ParseTimeout(line, text) };
                break;
            case 4:
                _limits = _limits with { FrameTimeout = ParseTimeout(line, text) };
                break;
            case 5:
                _limits = _limits with { SendTimeout = ParseTimeout(line, text) };
                break;
            default:
                _limits = _limits with { IdleTimeout = ParseTimeout(line, text) };
                break;
        }

        return true;
    }

    private long ParseSendQueueSize(int line, string text, string what)
    {
        if (!ConfigValues.TryParseSize(text, what, out long bytes, out string? error))
        {
            Fail(line, error);
        }

        if (bytes < MinSendQueueBytes)
        {
            Fail(line, what + " " + text + " is below the smallest, 64KiB");
        }

        return bytes;
    }

    // Checked on whichever of the two lines comes second (and against the default for the other): a total below
    // the per-connection limit would make the limit a lie.
    private void CheckSendQueueTotal(int line)
    {
        if (_limits.SendQueueTotal < _limits.SendQueueLimit)
        {
            string limitFrom = _sendQueueLimitLine == 0 ? "the default send-queue-limit" : "send-queue-limit";
            Fail(line, "send-queue-total (" + _limits.SendQueueTotal + " bytes) is below " + limitFrom + " (" + _limits.SendQueueLimit + " bytes): the total must hold at least one connection's limit");
        }
    }

    private TimeSpan? ParseTimeout(int line, string text)
    {
        if (text == "off")
        {
            return null;
        }

        if (!ConfigValues.TryParseCount(text, _words[0], 1, MaxTimeoutSeconds, out int seconds, out string? error))
        {
            Fail(line, error + " (whole seconds, or 'off')");
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
