// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO.Pipelines;
using Controller.Wire.Transport;

namespace Controller.Target;

/// <summary>
/// The in-process transport: a pair of pipes carrying the same FCIP byte stream as TCP, so tests, the demo and
/// the benchmarks run the very code a network initiator does, without sockets.
/// </summary>
public static class InProcessLink
{
    /// <summary>Connects an in-process initiator to the port front.</summary>
    /// <param name="frontEnd">The port front.</param>
    /// <param name="peer">A name for logs.</param>
    /// <param name="tap">Optional: sees every frame on the target side.</param>
    /// <returns>The initiator's end of the link, and the task serving the target's end.</returns>
    public static (IDuplexPipe Initiator, Task<string?> Served) Connect(ControllerFrontEnd frontEnd, string peer = "in-process", IFrameTap? tap = null)
    {
        ArgumentNullException.ThrowIfNull(frontEnd);
        (DuplexPipe initiator, DuplexPipe target) = DuplexPipe.CreatePair();
        TargetConnection connection = frontEnd.Accept(target, peer, tap);
        Task<string?> served = Task.Run(() => connection.RunAsync(CancellationToken.None));
        return (initiator, served);
    }
}
