// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.Intrinsics.X86;
using Controller.Addressing;

namespace Controller.Firmware.Media;

/// <summary>
/// A copy with non-temporal (streaming) stores, for the copy engine's track reads: the destination lines are
/// written without first being read into the cache (no read-for-ownership), so copying a 64 KiB track costs
/// one pass over memory for the source and one for the destination instead of two for the destination, and the
/// copy does not evict the host's working set. Measured on the reference VM: 6 GB/s against 4.7 GB/s for a
/// plain copy (docs/performance.md). Ends with a store fence: streaming stores are weakly ordered, and the
/// buffer goes to another MP next.
/// </summary>
internal static class StreamingCopy
{
    // Below this a plain copy is as fast and the fence is not worth it.
    private const int MinimumBytes = 4096;

    /// <summary>Copies <paramref name="source"/> into the start of <paramref name="destination"/>.</summary>
    /// <param name="source">The bytes to copy.</param>
    /// <param name="destination">At least as long as the source.</param>
    public static unsafe void Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length < MinimumBytes || !Avx.IsSupported)
        {
            source.CopyTo(destination);
            return;
        }

        if (destination.Length < source.Length)
        {
            ThrowHelper.ThrowArgument(nameof(destination), "the destination is shorter than the source");
        }

        fixed (byte* from = source)
        fixed (byte* to = destination)
        {
            int length = source.Length;

            // Streaming stores need aligned addresses: copy the unaligned head plainly.
            int head = (int)((32 - ((nuint)to & 31)) & 31);
            source[..head].CopyTo(destination);
            int i = head;
            if (Avx512F.IsSupported && ((nuint)(to + i) & 63) == 0)
            {
                for (; i + 64 <= length; i += 64)
                {
                    Avx512F.StoreAlignedNonTemporal(to + i, Avx512F.LoadVector512(from + i));
                }
            }

            for (; i + 32 <= length; i += 32)
            {
                Avx.StoreAlignedNonTemporal(to + i, Avx.LoadVector256(from + i));
            }

            source[i..].CopyTo(destination[i..]);
        }

        Sse.StoreFence();
    }
}
