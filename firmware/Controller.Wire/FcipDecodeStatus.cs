// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire;

/// <summary>What decoding the front of an FCIP byte stream found.</summary>
public enum FcipDecodeStatus
{
    /// <summary>A whole encapsulated frame.</summary>
    Frame = 0,

    /// <summary>The bytes so far are a valid start; more must arrive.</summary>
    NeedMoreData = 1,

    /// <summary>The bytes are not an FCIP frame: the connection is closed with the logged reason.</summary>
    Invalid = 2,
}
