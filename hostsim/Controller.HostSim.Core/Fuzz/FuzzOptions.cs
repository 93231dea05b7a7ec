// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.Transport;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>How long and how a fuzz run goes.</summary>
public sealed record FuzzOptions
{
    /// <summary>Gets the number of inputs.</summary>
    public long Inputs { get; init; } = 1_000_000;

    /// <summary>Gets the seed: the same seed gives the same inputs.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Gets the inputs sent on one connection before the next takes over: commands that wait for write data
    /// that never comes hold exchanges, and a connection with all 1,024 held answers everything TASK SET FULL.
    /// </summary>
    public int InputsPerConnection { get; init; } = 50_000;

    /// <summary>
    /// Gets the inputs between two waits for the target to send every answer queued so far (see
    /// <see cref="FuzzConnection.CatchUp"/>): the fuzzer is paced by the target, a little ahead of it.
    /// </summary>
    public int CatchUpInterval { get; init; } = 128;

    /// <summary>
    /// Gets a value indicating whether the controller runs on one seeded scheduler driven by the run's thread
    /// (<see cref="SteppedExecution"/>: the run, failures included, is a function of the seed) rather than on threads
    /// in real time (<see cref="ThreadedExecution"/>, <c>--real-time</c>).
    /// </summary>
    public bool Deterministic { get; init; } = true;

    /// <summary>
    /// Gets how long the run waits in real time: for the target to answer a catch-up (real-time mode), and for the
    /// checks through an initiator (logins, the canary) in both modes.
    /// </summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets a test seam: wraps the target connection's frame handler (the inputs and the catch-up markers go through
    /// it), so a test can fuzz a deliberately broken handler and see the run fail. Null fuzzes the target as it is.
    /// </summary>
    public Func<IFcFrameHandler, IFcFrameHandler>? WrapHandler { get; init; }
}
