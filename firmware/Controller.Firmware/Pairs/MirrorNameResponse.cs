// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>The answer to NAME MIRRORS (FIG 8).</summary>
/// <param name="Error">None on success; else why nothing changed.</param>
/// <param name="FailedPair">The pair the error is about, if one.</param>
/// <param name="Message">The answer in words.</param>
public sealed record MirrorNameResponse(PairErrorCode Error, PairAddress? FailedPair, string Message)
{
    /// <summary>Gets whether the name was defined, replaced or deleted.</summary>
    public bool Succeeded => Error == PairErrorCode.None;
}
