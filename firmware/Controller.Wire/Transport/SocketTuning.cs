// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Transport;

/// <summary>Process-wide socket settings for the FCIP transport, applied by the programs at start-up.</summary>
public static class SocketTuning
{
    private const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Runs socket completions on the socket engine's own thread instead of queueing each to the thread pool (the
    /// setting Kestrel's Linux benchmarks use). Our receive continuations only decode frames and queue commands
    /// to MPs, so running them inline saves a thread hop per receive (about 10 % more 4 KiB writes per second
    /// over loopback, docs/performance.md). Must run before the first socket is used; an explicit setting in the
    /// environment wins.
    /// </summary>
    public static void UseInlineCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }
    }
}
