// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire;

/// <summary>Start-of-frame and end-of-frame delimiter codes as RFC 3643 encodes them (class 3 service).</summary>
public static class FcDelimiter
{
    /// <summary>SOFi3: the first frame of a class 3 sequence.</summary>
    public const byte StartInitiate3 = 0x2E;

    /// <summary>SOFn3: a later frame of a class 3 sequence.</summary>
    public const byte StartNormal3 = 0x36;

    /// <summary>EOFn: a frame that does not end its sequence.</summary>
    public const byte EndNormal = 0x41;

    /// <summary>EOFt: the frame that ends its sequence.</summary>
    public const byte EndTerminate = 0x42;

    /// <summary>Tells whether a byte is one of the start codes of RFC 3643 (SOFf, SOFi2-4, SOFn2-4, SOFc4).</summary>
    /// <param name="code">The code.</param>
    /// <returns>True if valid.</returns>
    public static bool IsStart(byte code)
    {
        return code is 0x28 or 0x29 or 0x2D or 0x2E or 0x31 or 0x35 or 0x36 or 0x39;
    }

    /// <summary>Tells whether a byte is one of the end codes of RFC 3643 (EOFn, EOFt, EOFrt, EOFdt, EOFni, EOFdti, EOFrti, EOFa).</summary>
    /// <param name="code">The code.</param>
    /// <returns>True if valid.</returns>
    public static bool IsEnd(byte code)
    {
        return code is 0x41 or 0x42 or 0x44 or 0x46 or 0x49 or 0x4E or 0x4F or 0x50;
    }
}
