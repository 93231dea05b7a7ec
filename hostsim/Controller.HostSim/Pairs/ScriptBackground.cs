// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;

namespace Controller.HostSim.Pairs;

/// <summary>
/// The commands a <c>hostsim pair run</c> script starts without waiting for them (a line prefixed <c>&amp;</c>), and
/// <c>join</c>. A background command is started on a thread of its own, and the script goes on only once that
/// command has been posted to the session's connection: commands on one connection reach the controller in the
/// order they were posted, so the next line's command is always behind it (two atomic splits in flight, the second
/// seeing the first's BUSY), whatever the threads' timing.
/// </summary>
internal sealed class ScriptBackground
{
    private readonly string _path;
    private readonly List<(int Line, Thread Thread, int[] Code)> _running = [];

    /// <summary>Initializes the list for a script.</summary>
    /// <param name="path">The script, for messages.</param>
    public ScriptBackground(string path)
    {
        _path = path;
    }

    /// <summary>Starts a parsed command line in the background and returns once it has posted its first command (or ended).</summary>
    /// <param name="line">The script line, for messages.</param>
    /// <param name="parsed">The command line.</param>
    /// <param name="session">The script's session.</param>
    public void Start(int line, ParseResult parsed, PairSession session)
    {
        long before = session.CommandsPosted;
        int[] code = [0];
        Thread thread = new(() => code[0] = parsed.Invoke(new InvocationConfiguration { Output = Console.Out, Error = Console.Error, EnableDefaultExceptionHandler = false }))
        {
            IsBackground = true,
            Name = "pair run line " + line,
        };
        thread.Start();
        SpinWait.SpinUntil(() => session.CommandsPosted > before || !thread.IsAlive);
        _running.Add((line, thread, code));
    }

    /// <summary>Waits for every background command; the first that failed (in line order) gives the exit code.</summary>
    /// <returns>0, or the exit code of the first background command that did not succeed.</returns>
    public int JoinAll()
    {
        int result = 0;
        foreach ((int line, Thread thread, int[] code) in _running)
        {
            thread.Join();
            if (code[0] != 0 && result == 0)
            {
                Console.Error.WriteLine("hostsim pair run: " + _path + ":" + line + ": the command started with '&' ended with exit code " + code[0]);
                result = code[0];
            }
        }

        _running.Clear();
        return result;
    }
}
