// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.CopyManagement;

/// <summary>
/// Why a copy-management parameter list was refused: the sense the target answers with (CHECK CONDITION, ILLEGAL
/// REQUEST, <see cref="SenseData.InvalidFieldInParameterList"/> or <see cref="SenseData.ParameterListLengthError"/>)
/// and a reason for the log that names the field. The default value means "no error".
/// </summary>
public readonly record struct CopyManagementError
{
    private readonly string? _reason;

    /// <summary>Initializes an error.</summary>
    /// <param name="sense">The sense data to answer with.</param>
    /// <param name="reason">What was wrong, naming the field and its value.</param>
    public CopyManagementError(SenseData sense, string reason)
    {
        Sense = sense;
        _reason = reason;
    }

    /// <summary>Gets the sense data to answer with.</summary>
    public SenseData Sense { get; }

    /// <summary>Gets what was wrong (empty for the default value).</summary>
    public string Reason => _reason ?? string.Empty;

    /// <summary>Formats as "05/26/00 reason".</summary>
    /// <returns>The sense and the reason.</returns>
    public override string ToString()
    {
        return Sense.ToString() + " " + Reason;
    }

    // The two answers a malformed parameter list can get (docs/protocol.md).
    internal static CopyManagementError InvalidField(string reason)
    {
        return new CopyManagementError(SenseData.InvalidFieldInParameterList, reason);
    }

    internal static CopyManagementError LengthError(string reason)
    {
        return new CopyManagementError(SenseData.ParameterListLengthError, reason);
    }
}
