// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>
/// The subsystem's bound on host commands in flight (admitted and not yet answered). A mirrored write stays in
/// flight until its last mirror has it, so this bound also bounds the mirror writes queued on any MP: with it at
/// a quarter of the queue depth and at most three mirrors per P-VOL, internal work always finds room. Beyond the
/// bound a host is answered TASK SET FULL and retries, as a real array's hosts do.
/// </summary>
internal sealed class HostCommandLimit
{
    private readonly int _limit;
    private int _inFlight;

    public HostCommandLimit(int limit)
    {
        _limit = limit;
    }

    /// <summary>Gets the host commands in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Admits one host command, unless the bound is reached.</summary>
    /// <returns>False when the subsystem is full.</returns>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= _limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    /// <summary>A host command was answered (or never queued).</summary>
    public void Leave()
    {
        Interlocked.Decrement(ref _inFlight);
    }
}
