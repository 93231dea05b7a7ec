// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>One cell of seed 002 FIG 4.</summary>
/// <param name="Command">PAIR RESYNCHRONIZATION (<see cref="PairOperation.Resync"/>) or PAIR SWAP RESYNCHRONIZATION (<see cref="PairOperation.SwapResync"/>).</param>
/// <param name="Attribute">The attribute of the volume the command was sent to.</param>
/// <param name="State">The pair's state.</param>
/// <param name="NormalEnd">True for NORMAL END (the command runs), false for ABNORMAL END (nothing changes).</param>
/// <param name="Error">For ABNORMAL END, the error the host is told; else None.</param>
public readonly record struct DeterminingCell(PairOperation Command, PairRole Attribute, DeterminingState State, bool NormalEnd, PairErrorCode Error);
