// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>What a fuzz run fed the target, what came back, and whether every invariant held.</summary>
public sealed class FuzzReport
{
    private static readonly string[] s_kindNames = ["ELS", "SCSI FCP_CMND", "copy-management FCP_CMND", "FCP_DATA", "random frames", "mutated frames", "FCIP bytes"];
    private static readonly string[] s_kindKeys = ["els", "scsiCommand", "copyManagement", "data", "randomFrame", "mutated", "fcipBytes"];
    private static readonly string[] s_answerNames = ["GOOD", "CHECK CONDITION", "RESERVATION CONFLICT", "TASK SET FULL", "other status", "RSP_CODE", "FCP_XFER_RDY", "FCP_DATA", "LS_ACC", "LS_RJT", "LOGO", "other"];
    private static readonly string[] s_answerKeys = ["good", "checkCondition", "reservationConflict", "taskSetFull", "otherStatus", "responseCode", "transferReady", "dataIn", "lsAcc", "lsRjt", "logo", "other"];

    /// <summary>Gets the inputs fed (fewer than asked when an exception stopped the run).</summary>
    public required long Inputs { get; init; }

    /// <summary>Gets the inputs asked for (<c>--inputs</c>).</summary>
    public required long RequestedInputs { get; init; }

    /// <summary>Gets the seed the inputs and (deterministic) the scheduler came from.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Gets where the controller ran: "deterministic" (one seeded scheduler) or "real time" (threads).</summary>
    public required string Mode { get; init; }

    /// <summary>Gets the scheduler steps of a deterministic run (MP batches, sends, copy steps, timers); 0 in real time.</summary>
    public required long SchedulerSteps { get; init; }

    /// <summary>Gets the time spent feeding inputs (not the checks before and after).</summary>
    public required double Seconds { get; init; }

    /// <summary>Gets the target connections the inputs were fed through.</summary>
    public required int Connections { get; init; }

    /// <summary>Gets the waits for the target to send every answer queued (each one answered, or the run failed).</summary>
    public required long CatchUps { get; init; }

    /// <summary>Gets the most exchanges a connection still held when it was closed (commands waiting for data).</summary>
    public required int MaxOutstandingAtClose { get; init; }

    /// <summary>Gets the inputs by <see cref="FuzzInputKind"/>.</summary>
    public required long[] ByKind { get; init; }

    /// <summary>Gets the feeder, with its counts of what was fed and answered.</summary>
    public required FuzzFeeder Feeding { get; init; }

    /// <summary>Gets the frames the target sent back, by <see cref="TargetAnswer"/>.</summary>
    public required long[] Answers { get; init; }

    /// <summary>Gets the lines the controller logged during the run.</summary>
    public required long LogLines { get; init; }

    /// <summary>Gets the most frequent kinds of log line, with their counts.</summary>
    public required KeyValuePair<string, long>[] TopLog { get; init; }

    /// <summary>Gets the exception that escaped on an input, or null.</summary>
    public required FuzzFailure? Failure { get; init; }

    /// <summary>Gets faults the target showed without throwing to the fuzzer: a send side that failed, output that does not decode, a connection that would not close.</summary>
    public required string[] TargetFaults { get; init; }

    /// <summary>Gets a value indicating whether every host command in flight finished after the run.</summary>
    public required bool Quiesced { get; init; }

    /// <summary>Gets what was wrong with the canary volume after the run, or null when it was intact.</summary>
    public required string? CanaryProblem { get; init; }

    /// <summary>Gets why a fresh login was not served after the run, or null when it was.</summary>
    public required string? StillServingProblem { get; init; }

    /// <summary>Gets the exceptions that escaped (0 or 1: the first stops the run).</summary>
    public int Exceptions => Failure is null ? 0 : 1;

    /// <summary>Gets a value indicating whether the canary volume was intact after the run.</summary>
    public bool CanaryIntact => CanaryProblem is null;

    /// <summary>Gets a value indicating whether a fresh login was still served after the run.</summary>
    public bool StillServing => StillServingProblem is null;

    /// <summary>Gets a value indicating whether every invariant held.</summary>
    public bool Passed => Failure is null && TargetFaults.Length == 0 && Quiesced && CanaryIntact && StillServing;

    /// <summary>Gets the inputs fed per second of feeding.</summary>
    public double InputsPerSecond => Seconds > 0 ? Inputs / Seconds : 0;

    /// <summary>Renders the report as text.</summary>
    /// <returns>The text, one line per figure.</returns>
    public string ToText()
    {
        StringBuilder text = new();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine("hostsim fuzz: generated and mutated frames into the target's decoder and command set (issue #4)");
        text.AppendLine(c, $"  inputs              {Inputs:N0} of {RequestedInputs:N0} (seed {Seed}) in {Seconds:F2} s = {InputsPerSecond:N0} per second, over {Connections} connections, {CatchUps:N0} waits for the target to catch up");
        text.AppendLine(Mode == "deterministic"
            ? string.Create(c, $"  controller          deterministic: one scheduler seeded from the seed, {SchedulerSteps:N0} steps (the same seed replays the same run)")
            : "  controller          real time: MPs and send sides on threads (a failure may not replay)");
        for (int i = 0; i < ByKind.Length; i++)
        {
            text.AppendLine(c, $"    {s_kindNames[i],-24}  {ByKind[i],12:N0}");
        }

        text.AppendLine(c, $"  exchanges held      at most {MaxOutstandingAtClose:N0} still open on a connection when it closed (mostly commands waiting for data that never came; 1,024 is full)");
        text.AppendLine(c, $"  frames handled      {Feeding.FramesHandled:N0} handed to TargetConnection.OnFrame; {Feeding.TooShort:N0} mutated inputs were cut below the 24-byte header (no frame)");
        text.AppendLine(c, $"  FCIP bytes          {Feeding.FcipInputs:N0} inputs: {Feeding.FcipDecoded:N0} decoded ({Feeding.FcipFrames:N0} frames, {Feeding.FcipBadFill:N0} with more fill bytes than payload), {Feeding.FcipInvalid:N0} invalid, {Feeding.FcipIncomplete:N0} incomplete");
        text.Append("  target sent        ");
        for (int i = 0; i < Answers.Length; i++)
        {
            text.Append(c, $" {s_answerNames[i]} {Answers[i]:N0}").Append(i + 1 < Answers.Length ? "," : string.Empty);
        }

        text.AppendLine();
        text.AppendLine(c, $"  target log          {LogLines:N0} lines; the most frequent kinds:");
        foreach (KeyValuePair<string, long> entry in TopLog)
        {
            text.AppendLine(c, $"    {entry.Value,12:N0}  {entry.Key}");
        }

        if (Failure is FuzzFailure failure)
        {
            text.AppendLine(c, $"  exception           at input {failure.Index:N0} ({failure.Kind}) of seed {failure.Seed}:");
            foreach (string line in failure.Exception.Split('\n'))
            {
                text.Append("    ").AppendLine(line.TrimEnd('\r'));
            }

            text.Append("    input: ").AppendLine(failure.InputHex);
        }
        else
        {
            text.AppendLine("  exceptions          none escaped FcipEncapsulation.TryRead or TargetConnection.OnFrame");
        }

        text.AppendLine(TargetFaults.Length == 0 ? "  target faults       none: it answered every catch-up, its send sides never failed, all it sent decoded, every connection closed" : "  target faults       " + string.Join("; ", TargetFaults));
        text.AppendLine(Quiesced ? "  in flight           none left after the run" : "  in flight           host commands still in flight after the run: STUCK");
        if (CanaryIntact)
        {
            text.AppendLine(c, $"  canary              intact: {FuzzController.CanaryLbas.Length} x {FuzzController.CanaryExtentBlocks} blocks of LDEV 00:{FuzzTopology.CanaryLdev:X2} behind 0x{FuzzTopology.CanaryPort:X6} read back as written");
        }
        else
        {
            text.AppendLine("  canary              LOST: " + CanaryProblem);
        }

        if (StillServing)
        {
            text.AppendLine(c, $"  still serving       yes: 0x{FuzzTopology.FuzzHost:X6} logged in to 0x{FuzzTopology.PortA:X6} afresh and got TEST UNIT READY GOOD");
        }
        else
        {
            text.AppendLine("  still serving       NO: " + StillServingProblem);
        }

        text.AppendLine(Passed ? "  verdict             passed" : "  verdict             FAILED");
        return text.ToString();
    }

    /// <summary>Renders the report as JSON.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter json = new(stream, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteBoolean("passed", Passed);
            json.WriteNumber("inputs", Inputs);
            json.WriteNumber("requestedInputs", RequestedInputs);
            json.WriteNumber("seed", Seed);
            json.WriteString("mode", Mode);
            json.WriteNumber("schedulerSteps", SchedulerSteps);
            json.WriteNumber("seconds", Math.Round(Seconds, 3));
            json.WriteNumber("inputsPerSecond", Math.Round(InputsPerSecond));
            json.WriteNumber("connections", Connections);
            json.WriteNumber("catchUps", CatchUps);
            json.WriteNumber("maxOutstandingAtClose", MaxOutstandingAtClose);
            json.WriteStartObject("inputsByKind");
            for (int i = 0; i < ByKind.Length; i++)
            {
                json.WriteNumber(s_kindKeys[i], ByKind[i]);
            }

            json.WriteEndObject();
            json.WriteNumber("framesHandled", Feeding.FramesHandled);
            json.WriteNumber("tooShortForAHeader", Feeding.TooShort);
            json.WriteStartObject("fcip");
            json.WriteNumber("inputs", Feeding.FcipInputs);
            json.WriteNumber("decoded", Feeding.FcipDecoded);
            json.WriteNumber("frames", Feeding.FcipFrames);
            json.WriteNumber("badFill", Feeding.FcipBadFill);
            json.WriteNumber("invalid", Feeding.FcipInvalid);
            json.WriteNumber("incomplete", Feeding.FcipIncomplete);
            json.WriteEndObject();
            json.WriteStartObject("targetSent");
            for (int i = 0; i < Answers.Length; i++)
            {
                json.WriteNumber(s_answerKeys[i], Answers[i]);
            }

            json.WriteEndObject();
            json.WriteNumber("logLines", LogLines);
            json.WriteStartArray("topLog");
            foreach (KeyValuePair<string, long> entry in TopLog)
            {
                json.WriteStartObject();
                json.WriteString("kind", entry.Key);
                json.WriteNumber("count", entry.Value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("exceptions", Exceptions);
            if (Failure is FuzzFailure failure)
            {
                json.WriteStartObject("failure");
                json.WriteNumber("index", failure.Index);
                json.WriteString("kind", failure.Kind.ToString());
                json.WriteString("exception", failure.Exception);
                json.WriteString("input", failure.InputHex);
                json.WriteEndObject();
            }

            json.WriteStartArray("targetFaults");
            foreach (string fault in TargetFaults)
            {
                json.WriteStringValue(fault);
            }

            json.WriteEndArray();
            json.WriteBoolean("quiesced", Quiesced);
            json.WriteBoolean("canaryIntact", CanaryIntact);
            json.WriteBoolean("stillServing", StillServing);
            if (CanaryProblem is not null)
            {
                json.WriteString("canaryProblem", CanaryProblem);
            }

            if (StillServingProblem is not null)
            {
                json.WriteString("stillServingProblem", StillServingProblem);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
