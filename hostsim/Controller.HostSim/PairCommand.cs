// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Cli;
using Controller.HostSim.Core.Pairs;
using Controller.HostSim.Pairs;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim;

/// <summary>
/// <c>hostsim pair</c>: the pair operations of a storage admin's CLI (paircreate, pairsplit, pairresync, pairdisplay,
/// pairevtwait and the atomic split of seed 000) as copy-management commands over FCP, against controllerd
/// (<c>--target</c>); <c>pair run FILE</c> runs a script of them against one controller, an embedded FIG 7 one without
/// <c>--target</c> (a single command without it is refused: its embedded controller would not outlive it).
/// Exit codes: 0 GOOD (or the state reached), 1 the controller refused, 2 bad usage, 3 no such pair, 4 a wait timed out.
/// </summary>
internal static class PairCommand
{
    /// <summary>The exit code of a wait for a pair the controller does not have.</summary>
    public const int NoSuchPair = 3;

    /// <summary>The exit code of a wait that timed out.</summary>
    public const int WaitTimedOut = 4;

    // Indexed by PairState (COPY(RS) is 5, RCPY 6).
    private static readonly string[] s_states = ["smpl", "copy", "pair", "psus", "psue", "copy-rs", "rcpy"];

    public static Command Create()
    {
        Option<IPEndPoint?> target = CliOptions.Target();
        target.Recursive = true;
        Option<bool> json = CliOptions.Json();
        json.Recursive = true;
        Command pair = new("pair", "pair operations (create, split, resync, restore, swap, delete, fail, name, atomic-split, status, wait, run) as copy-management commands over FCP; exit 0 GOOD, 1 refused, 2 bad usage, 3 no such pair, 4 wait timed out") { target, json };
        PairSession? shared = null;
        foreach (Command operation in Operations(parsed => shared, target))
        {
            pair.Subcommands.Add(operation);
        }

        Argument<string> script = new("script") { Description = "a file of pair operations, one per line as after 'hostsim pair' ('#' starts a comment); run in order against one controller, stopping at the first that fails" };
        Command run = new("run", "run a script of pair operations against one controller (the embedded one lives for the whole script)") { script };
        run.SetAction(parsed => RunScript(parsed.GetValue(script)!, parsed.GetValue(target), parsed.GetValue(json), pair, session => shared = session));
        pair.Subcommands.Add(run);
        return pair;
    }

    private static IEnumerable<Command> Operations(Func<ParseResult, PairSession?> sharedSession, Option<IPEndPoint?> target)
    {
        (string Name, CopyManagementOpcode Opcode, string Description)[] single =
        [
            ("create", CopyManagementOpcode.PairCreate, "PAIR CREATE (paircreate): the initial copy starts, COPY then PAIR"),
            ("split", CopyManagementOpcode.PairSplit, "PAIR SPLIT (pairsplit): PSUS, the S-VOL readable (--rw: writable)"),
            ("resync", CopyManagementOpcode.PairResync, "PAIR RESYNC (pairresync): copy the marked tracks P-VOL to S-VOL, back to PAIR"),
            ("restore", CopyManagementOpcode.PairRestore, "PAIR RESTORE (pairresync -restore): copy the marked tracks S-VOL to P-VOL"),
            ("swap", CopyManagementOpcode.PairSwapResync, "PAIR SWAP RESYNC (pairresync -swaps): the S-VOL becomes the P-VOL"),
            ("delete", CopyManagementOpcode.PairDelete, "PAIR DELETE (pairsplit -S): the volumes become simplex"),
            ("fail", CopyManagementOpcode.PairSuspendByError, "PAIR SUSPEND BY ERROR: force PSUE (fault injection)"),
        ];
        foreach ((string name, CopyManagementOpcode opcode, string description) in single)
        {
            Argument<TraceVolume> pVol = VolumeArgument("p-vol");
            Argument<TraceVolume> sVol = VolumeArgument("s-vol");
            Option<bool> readWrite = new("--rw") { Description = "split with a read/write S-VOL" };
            Option<bool> protect = new("--protect-pvol") { Description = "pairsplit -P (remote pairs): the P-VOL refuses host writes while split" };
            Option<string> fence = CliOptions.Choice("--fence", "a remote pair's fence level: data refuses P-VOL writes while the S-VOL cannot be updated", "never", "never", "data");
            Option<bool> noCopy = new("--nocopy") { Description = "no initial copy (FIG 12): only for two volumes one atomic split left equal" };
            Option<bool> determining = new("--determining") { Description = "a determining pair (seed 002, remote pairs): FIG 4 decides its resync and swap resync" };
            Option<string> side = SideOption();
            Command command = new(name, description) { pVol, sVol, side };
            if (opcode == CopyManagementOpcode.PairSplit)
            {
                command.Options.Add(readWrite);
                command.Options.Add(protect);
            }

            if (opcode == CopyManagementOpcode.PairCreate)
            {
                command.Options.Add(fence);
                command.Options.Add(noCopy);
                command.Options.Add(determining);
            }

            Bind(command, sharedSession, target, (parsed, session) => SingleAsync(session, opcode, parsed.GetValue(pVol), parsed.GetValue(sVol), parsed.GetValue(side) == "svol", new SingleOptions(parsed.GetValue(readWrite), parsed.GetValue(protect), parsed.GetValue(fence) == "data" ? 1 : 0, parsed.GetValue(noCopy), parsed.GetValue(determining))));
            yield return command;
        }

        Argument<string> mirrorName = new("name") { Description = "the mirror name (printable ASCII, up to 32 characters)" };
        Argument<TraceVolume[]> namedPairs = PairsArgument("pairs", "the members, each P-VOL=S-VOL; none deletes the name");
        namedPairs.Arity = ArgumentArity.ZeroOrMore;
        Option<TraceVolume?> nameDevice = CommandDeviceOption();
        Command nameCommand = new("name", "NAME MIRRORS (FIG 8): give pairs one mirror name") { mirrorName, namedPairs, nameDevice };
        Bind(nameCommand, sharedSession, target, (parsed, session) => NameAsync(session, parsed.GetValue(mirrorName)!, Pairs(parsed.GetValue(namedPairs)), parsed.GetValue(nameDevice)));
        yield return nameCommand;

        Argument<TraceVolume[]> splitPairs = PairsArgument("pairs", "the members, each P-VOL=S-VOL (FIG 7), unless --name");
        splitPairs.Arity = ArgumentArity.ZeroOrMore;
        Option<string?> byName = new("--name") { Description = "split the pairs of a mirror name (FIG 9) instead of a list", HelpName = "NAME" };
        Option<string> mechanism = CliOptions.Choice("--mechanism", "the split mechanism", "freeze", "freeze", "sequence-cut");
        Option<bool> splitReadWrite = new("--rw") { Description = "split with read/write S-VOLs" };
        Option<TraceVolume?> device = CommandDeviceOption();
        Command atomic = new("atomic-split", "ATOMIC SPLIT: split many pairs at one point in time, by list or by mirror name") { splitPairs, byName, mechanism, splitReadWrite, device };
        Bind(atomic, sharedSession, target, (parsed, session) => AtomicSplitAsync(session, Pairs(parsed.GetValue(splitPairs)), parsed.GetValue(byName), parsed.GetValue(mechanism) == "freeze", parsed.GetValue(splitReadWrite), parsed.GetValue(device)));
        yield return atomic;

        Option<TraceVolume?> statusDevice = CommandDeviceOption();
        Command status = new("status", "PAIR STATUS: the Copy Management Table as the pairdisplay table") { statusDevice };
        Bind(status, sharedSession, target, (parsed, session) => StatusAsync(session, parsed.GetValue(statusDevice)));
        yield return status;

        Argument<TraceVolume> waitPVol = VolumeArgument("p-vol");
        Argument<TraceVolume> waitSVol = VolumeArgument("s-vol");
        Option<string> state = CliOptions.Choice("--state", "the state awaited", "pair", s_states);
        Option<double> timeout = CliOptions.Number("--timeout", "seconds to wait before giving up (exit 4)", 60, 0, exclusive: false);
        Option<string> waitSide = SideOption();
        Command wait = new("wait", "wait until a pair is in a state (pairevtwait): exit 0 when it is, 3 when there is no such pair, 4 on timeout") { waitPVol, waitSVol, state, timeout, waitSide };
        Bind(wait, sharedSession, target, (parsed, session) => WaitAsync(session, parsed.GetValue(waitPVol), parsed.GetValue(waitSVol), parsed.GetValue(waitSide) == "svol", (PairState)Array.IndexOf(s_states, parsed.GetValue(state)), parsed.GetValue(timeout)));
        yield return wait;
    }

    private static void Bind(Command command, Func<ParseResult, PairSession?> sharedSession, Option<IPEndPoint?> target, Func<ParseResult, PairSession, Task<PairOutcome>> operation)
    {
        command.SetAction(parsed =>
        {
            bool json = parsed.GetValue<bool>("--json");
            PairSession? shared = sharedSession(parsed);
            IPEndPoint? address = parsed.GetValue(target);
            if (shared is null && address is null)
            {
                Console.Error.WriteLine(EmbeddedRefusal(command.Name));
                return Program.BadUsage;
            }

            return Execute(shared, address, session => operation(parsed, session), json);
        });
    }

    private static int Execute(PairSession? shared, IPEndPoint? target, Func<PairSession, Task<PairOutcome>> operation, bool json)
    {
        PairOutcome outcome;
        PairSession session = shared ?? PairSession.Open(target);
        try
        {
            outcome = operation(session).GetAwaiter().GetResult();
        }
        catch (Exception failure) when (failure is InitiatorException or System.Net.Sockets.SocketException or IOException)
        {
            Console.Error.WriteLine("hostsim pair: " + session.Description + ": " + failure.Message);
            return 1;
        }
        finally
        {
            if (shared is null)
            {
                session.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        Console.Out.WriteLine(json ? JsonText.Object(outcome.Json) : outcome.Text);
        return outcome.ExitCode;
    }

    private static int RunScript(string path, IPEndPoint? target, bool json, Command pair, Action<PairSession?> share)
    {
        if (InputFile.IsMissing("pair run", path))
        {
            return Program.BadUsage;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("hostsim pair run: " + failure.Message);
            return Program.BadUsage;
        }

        PairSession session = PairSession.Open(target);
        share(session);
        ScriptBackground background = new(path);
        try
        {
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                int comment = line.IndexOf('#', StringComparison.Ordinal);
                string[] words = (comment >= 0 ? line[..comment] : line).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0)
                {
                    continue;
                }

                if (words is ["join"])
                {
                    if (!json)
                    {
                        Console.Out.WriteLine("> join");
                    }

                    int joined = background.JoinAll();
                    if (joined != 0)
                    {
                        return joined;
                    }

                    continue;
                }

                bool inBackground = words[0] == "&";
                words = inBackground ? words[1..] : words;
                if (words.Length == 0)
                {
                    Console.Error.WriteLine("hostsim pair run: " + path + ":" + (i + 1) + ": '&' starts a command without waiting for it; a command must follow");
                    return Program.BadUsage;
                }

                if (words[0] == "run")
                {
                    Console.Error.WriteLine("hostsim pair run: " + path + ":" + (i + 1) + ": a script cannot run another script");
                    return Program.BadUsage;
                }

                ParseResult parsed = pair.Parse(json ? [.. words, "--json"] : words);
                if (parsed.Errors.Count > 0)
                {
                    Console.Error.WriteLine("hostsim pair run: " + path + ":" + (i + 1) + ": " + parsed.Errors[0].Message);
                    return Program.BadUsage;
                }

                if (!json)
                {
                    Console.Out.WriteLine("> " + (inBackground ? "& " : string.Empty) + string.Join(' ', words));
                }

                if (inBackground)
                {
                    background.Start(i + 1, parsed, session);
                    continue;
                }

                int code = parsed.Invoke(new InvocationConfiguration { Output = Console.Out, Error = Console.Error, EnableDefaultExceptionHandler = false });
                if (code != 0)
                {
                    Console.Error.WriteLine("hostsim pair run: " + path + ":" + (i + 1) + ": stopped (exit code " + code + ")");
                    return code;
                }
            }

            return background.JoinAll();
        }
        finally
        {
            // A script that stopped early still lets its background commands end before the session closes.
            background.JoinAll();
            share(null);
            session.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static async Task<PairOutcome> SingleAsync(PairSession session, CopyManagementOpcode opcode, TraceVolume pVol, TraceVolume sVol, bool toSVol, SingleOptions options)
    {
        WirePair pair = new(PairClient.Wire(pVol), PairClient.Wire(sVol));
        PairClient client = await SideClientAsync(session, pVol, sVol, toSVol).ConfigureAwait(false);
        CopyManagementRequest request = opcode switch
        {
            CopyManagementOpcode.PairSplit when options.ProtectPVol => CopyManagementRequest.ForPairSplitProtectingPVol(pair),
            CopyManagementOpcode.PairSplit => CopyManagementRequest.ForPairSplit(pair, options.ReadWrite),
            CopyManagementOpcode.PairCreate => CopyManagementRequest.ForPairCreate(pair, options.Fence, options.NoCopy, options.Determining),
            _ => CopyManagementRequest.ForPair(opcode, pair),
        };
        ScsiResult result = await client.ExecuteAsync(request).ConfigureAwait(false);
        return Answer(CopyManagementOpcodes.GetName(opcode) + " " + pair + (toSVol ? " (sent to the S-VOL)" : string.Empty), result, writer =>
        {
            writer.WriteString("pair", pair.ToString());
            writer.WriteString("sentTo", toSVol ? "S-VOL" : "P-VOL");
        });
    }

    private static async Task<PairOutcome> NameAsync(PairSession session, string name, WirePair[] pairs, TraceVolume? device)
    {
        PairClient client = await session.CommandDeviceAsync(device ?? (pairs.Length > 0 ? Volume(pairs[0].PVol) : null)).ConfigureAwait(false);
        ScsiResult result = await client.ExecuteAsync(CopyManagementRequest.ForNameMirrors(name, pairs)).ConfigureAwait(false);
        return Answer("NAME MIRRORS " + name + " (" + pairs.Length + " pairs)", result, writer => writer.WriteString("name", name));
    }

    private static async Task<PairOutcome> AtomicSplitAsync(PairSession session, WirePair[] pairs, string? name, bool freeze, bool readWrite, TraceVolume? device)
    {
        if ((name is null) == (pairs.Length == 0))
        {
            return new PairOutcome(Program.BadUsage, "atomic-split takes either pairs (P-VOL=S-VOL ...) or --name NAME, not both or neither", writer => writer.WriteString("error", "pairs or --name"));
        }

        SplitMechanism mechanism = freeze ? SplitMechanism.Freeze : SplitMechanism.SequenceCut;
        PairClient client = await session.CommandDeviceAsync(device ?? (pairs.Length > 0 ? Volume(pairs[0].PVol) : null)).ConfigureAwait(false);
        CopyManagementRequest request = name is null ? CopyManagementRequest.ForAtomicSplit(pairs, mechanism, readWrite) : CopyManagementRequest.ForAtomicSplitByName(name, mechanism, readWrite);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        ScsiResult result = await client.ExecuteAsync(request).ConfigureAwait(false);
        double microseconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        string what = "ATOMIC SPLIT " + (name is null ? "of " + pairs.Length + " pairs" : "BY NAME " + name) + " (" + (freeze ? "freeze" : "sequence cut") + ")";
        PairOutcome answer = Answer(what, result, writer =>
        {
            writer.WriteString("mechanism", freeze ? "freeze" : "sequence-cut");
            writer.WriteNumber("latencyMicroseconds", Math.Round(microseconds, 1));
        });
        return answer with { Text = answer.Text + " in " + microseconds.ToString("F0", CultureInfo.InvariantCulture) + " us" };
    }

    private static async Task<PairOutcome> StatusAsync(PairSession session, TraceVolume? device)
    {
        PairClient client = await session.CommandDeviceAsync(device).ConfigureAwait(false);
        PairStatusRow[] rows = await client.StatusAsync().ConfigureAwait(false);
        return new PairOutcome(0, PairDisplay.ToText(rows), writer => PairDisplay.WriteJson(writer, rows));
    }

    private static async Task<PairOutcome> WaitAsync(PairSession session, TraceVolume pVol, TraceVolume sVol, bool atSVol, PairState state, double timeout)
    {
        WirePair pair = new(PairClient.Wire(pVol), PairClient.Wire(sVol));
        PairClient client = await SideClientAsync(session, pVol, sVol, atSVol).ConfigureAwait(false);
        (PairStatusRow? row, bool reached) = await client.WaitForStateAsync(pair, state, TimeSpan.FromSeconds(timeout)).ConfigureAwait(false);
        int code = reached ? 0 : row is null ? NoSuchPair : WaitTimedOut;
        string now = row is PairStatusRow found ? PairStateNames.Of((PairState)found.State) : "no such pair";
        string text = "wait " + pair + " for " + PairStateNames.Of(state) + ": " + (reached ? "reached" : code == NoSuchPair ? "no such pair" : "timed out after " + timeout.ToString(CultureInfo.InvariantCulture) + " s in " + now);
        return new PairOutcome(code, text, writer =>
        {
            writer.WriteString("pair", pair.ToString());
            writer.WriteString("awaited", PairStateNames.Of(state));
            writer.WriteBoolean("reached", reached);
            writer.WriteString("state", now);
        });
    }

    // The client for a command on one pair: addressed to its P-VOL, or with --side svol to its S-VOL (the subsystem
    // that holds the S-VOL passes the command to the pair's owner; FIG 4 tells the two sides apart). A controller
    // without that volume's port refuses the login: the message says which side to address instead.
    private static async Task<PairClient> SideClientAsync(PairSession session, TraceVolume pVol, TraceVolume sVol, bool toSVol)
    {
        TraceVolume volume = toSVol ? sVol : pVol;
        try
        {
            return await session.ClientAsync(volume).ConfigureAwait(false);
        }
        catch (InitiatorException refused) when (refused.Message.StartsWith("PLOGI", StringComparison.Ordinal))
        {
            string hint = toSVol
                ? "is the S-VOL " + sVol + " on another subsystem? Then send the command to the P-VOL there (without --side svol)"
                : "if it holds the S-VOL " + sVol + ", send the command to the S-VOL side: --side svol";
            throw session.NoSuchPort(volume, hint, refused);
        }
    }

    // Without --target a single command would get a controller of its own, gone when it returns: a later command
    // would not see its pairs (issue #17). Refused, saying how to get a controller that lasts.
    private static string EmbeddedRefusal(string command)
    {
        return "hostsim pair " + command + ": --target H:P is required: an embedded controller lasts only one command, so the next command "
            + "would not see what this one did. Start controllerd and pass its address, e.g.\n"
            + "  dotnet run -c Release --project firmware/Controller.Daemon -- --config docs/controllerd.conf   (the FIG 7 volumes, listening on 127.0.0.1:3225)\n"
            + "  hostsim pair " + command + " ... --target 127.0.0.1:3225\n"
            + "or put the commands in a script, one per line, and run 'hostsim pair run SCRIPT': one embedded controller lives for the whole script.";
    }

    private static PairOutcome Answer(string what, in ScsiResult result, Action<Utf8JsonWriter> details)
    {
        string answer = PairClient.Describe(result);
        bool good = result.IsGood;
        return new PairOutcome(good ? 0 : 1, what + ": " + answer, writer =>
        {
            writer.WriteString("command", what);
            writer.WriteBoolean("good", good);
            writer.WriteString("answer", answer);
            details(writer);
        });
    }

    private static Argument<TraceVolume> VolumeArgument(string name)
    {
        return new Argument<TraceVolume>(name)
        {
            Description = "PORT-ID,LUN (e.g. 0x400104,0x0001)",
            CustomParser = result =>
            {
                if (TraceVolume.TryParse(CliOptions.Text(result), out TraceVolume volume, out string? error))
                {
                    return volume;
                }

                result.AddError("bad argument '" + name + "': " + error);
                return default;
            },
        };
    }

    private static Argument<TraceVolume[]> PairsArgument(string name, string description)
    {
        Option<TraceVolume[]> parser = ReplayCommand.VolumePairs("--" + name, description);
        return new Argument<TraceVolume[]>(name) { Description = description, CustomParser = parser.CustomParser };
    }

    private static Option<string> SideOption()
    {
        return CliOptions.Choice("--side", "the volume the command is addressed to: pvol, or svol (the subsystem holding the S-VOL passes it to the pair's owner; FIG 4's S-VOL row, pairresync -swaps)", "pvol", "pvol", "svol");
    }

    private static Option<TraceVolume?> CommandDeviceOption()
    {
        return new Option<TraceVolume?>("--command-device")
        {
            Description = "the LUN the command is addressed to (a command device of controllerd's configuration); default: the first command device (INQUIRY product ...-CM) REPORT LUNS shows on port 0x400104, else on 0x421014, else the first LUN",
            HelpName = "PORT-ID,LUN",
            CustomParser = result =>
            {
                if (TraceVolume.TryParse(CliOptions.Text(result), out TraceVolume volume, out string? error))
                {
                    return volume;
                }

                CliOptions.Refuse(result, error!);
                return default;
            },
        };
    }

    private static WirePair[] Pairs(TraceVolume[]? volumes)
    {
        volumes ??= [];
        WirePair[] pairs = new WirePair[volumes.Length / 2];
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new WirePair(PairClient.Wire(volumes[2 * i]), PairClient.Wire(volumes[(2 * i) + 1]));
        }

        return pairs;
    }

    private static TraceVolume Volume(WireVolumeId id)
    {
        return new TraceVolume((int)id.PortId.Value, id.Lun);
    }

    // The options of the single-pair commands: --rw and --protect-pvol for a split, --fence, --nocopy and --determining for a create.
    private readonly record struct SingleOptions(bool ReadWrite, bool ProtectPVol, int Fence, bool NoCopy, bool Determining);
}
