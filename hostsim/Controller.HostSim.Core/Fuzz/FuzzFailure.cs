// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Fuzz;

/// <summary>An exception that escaped the decoder or the target on one input: what is needed to replay it.</summary>
/// <param name="Index">The input's number in the run, from 0.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Kind">How the input was made.</param>
/// <param name="Exception">The exception, with its stack trace.</param>
/// <param name="InputHex">The input's bytes in hex.</param>
public sealed record FuzzFailure(long Index, ulong Seed, FuzzInputKind Kind, string Exception, string InputHex);
