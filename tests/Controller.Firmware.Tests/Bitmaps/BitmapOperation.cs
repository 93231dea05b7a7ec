// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Tests.Bitmaps;

/// <summary>One generated operation on a bitmap; its operands are reduced to the volume's size when applied.</summary>
public sealed record BitmapOperation(int Kind, long A, long B)
{
    public const int KindCount = 5;

    public override string ToString()
    {
        string name = Kind switch
        {
            0 => "Set",
            1 => "SetRange",
            2 => "MarkByteRange",
            3 => "MarkWrite",
            _ => "TryClear",
        };
        return name + "(" + A + ", " + B + ")";
    }
}
