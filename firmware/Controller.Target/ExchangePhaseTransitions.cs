// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target;

/// <summary>
/// Which moves of <see cref="ExchangePhase"/> are legal, and which thread makes each (docs/architecture.md, "Target
/// dispatch"). A phase has one owner at a time: the reader from FCP_CMND until the command is handed on, then the MP
/// or the control plane that carries it out, then the writer that sends its frames and returns it to the pool. A
/// command parked for write data (<see cref="ExchangePhase.ReceivingData"/>) has no owner: the reader takes it for a
/// data frame and an abort claims it, each by a compare-and-swap, so exactly one of them wins.
/// </summary>
/// <remarks>
/// <see cref="ScsiExchange"/> moves its phase only by a compare-and-swap that checks the move against this table, so a
/// second owner (a double post, the defect the fuzzer found twice) fails loudly at the move instead of corrupting the
/// send queue. Every cell is tested (<c>ExchangePhaseTransitionsTests</c>).
/// </remarks>
internal static class ExchangePhaseTransitions
{
    private const int Count = 7;

    // [from * Count + to]: the owner that makes the move, or null when the move is illegal.
    private static readonly string?[] s_owners = Build();

    /// <summary>Whether an exchange may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsAllowed(ExchangePhase from, ExchangePhase to)
    {
        return (uint)from < Count && (uint)to < Count && s_owners[((int)from * Count) + (int)to] is not null;
    }

    /// <summary>The thread that makes a legal move (for the docs and the tests), or null when the move is illegal.</summary>
    public static string? OwnerOf(ExchangePhase from, ExchangePhase to)
    {
        return (uint)from < Count && (uint)to < Count ? s_owners[((int)from * Count) + (int)to] : null;
    }

    private static string?[] Build()
    {
        string?[] owners = new string?[Count * Count];
        void Allow(ExchangePhase from, ExchangePhase to, string owner)
        {
            owners[((int)from * Count) + (int)to] = owner;
        }

        // The reader decides a new command: it asks for data, hands it on, or answers it at once.
        Allow(ExchangePhase.Free, ExchangePhase.TransferReady, "reader");
        Allow(ExchangePhase.Free, ExchangePhase.ReceivingData, "reader");
        Allow(ExchangePhase.Free, ExchangePhase.Submitted, "reader");
        Allow(ExchangePhase.Free, ExchangePhase.Responding, "reader");

        // First burst: an abort that claimed the command before it was parked leaves it to the writer to free.
        Allow(ExchangePhase.Free, ExchangePhase.Aborted, "reader");

        // The writer sends FCP_XFER_RDY and parks the command for its data, or frees it when it was aborted or the
        // connection is gone.
        Allow(ExchangePhase.TransferReady, ExchangePhase.ReceivingData, "writer");
        Allow(ExchangePhase.TransferReady, ExchangePhase.Aborted, "writer");
        Allow(ExchangePhase.TransferReady, ExchangePhase.Free, "writer");

        // Parked: the reader takes it for a data frame, an abort claims it (any thread), the closer frees it.
        Allow(ExchangePhase.ReceivingData, ExchangePhase.DataArriving, "reader");
        Allow(ExchangePhase.ReceivingData, ExchangePhase.Aborted, "abort");
        Allow(ExchangePhase.ReceivingData, ExchangePhase.Free, "closer");

        // The reader holds it while it copies one data frame in.
        Allow(ExchangePhase.DataArriving, ExchangePhase.ReceivingData, "reader");
        Allow(ExchangePhase.DataArriving, ExchangePhase.Submitted, "reader");
        Allow(ExchangePhase.DataArriving, ExchangePhase.Responding, "reader");
        Allow(ExchangePhase.DataArriving, ExchangePhase.Aborted, "reader");

        // Carried out by whoever holds it (the reader, then the MP or the control plane): it may still ask for data
        // (a write checked, then its data asked for), be handed on again, answer, or reach the writer as it is (an MP
        // completion posts it without a move).
        Allow(ExchangePhase.Submitted, ExchangePhase.TransferReady, "reader");
        Allow(ExchangePhase.Submitted, ExchangePhase.ReceivingData, "reader");
        Allow(ExchangePhase.Submitted, ExchangePhase.Submitted, "reader");
        Allow(ExchangePhase.Submitted, ExchangePhase.Aborted, "reader");
        Allow(ExchangePhase.Submitted, ExchangePhase.Responding, "executor");
        Allow(ExchangePhase.Submitted, ExchangePhase.Free, "writer");

        // The writer sends the answer and returns the exchange to the pool; an aborted one it only returns. (A
        // closing connection's writer discards what is queued the same way.)
        Allow(ExchangePhase.Responding, ExchangePhase.Free, "writer");
        Allow(ExchangePhase.Aborted, ExchangePhase.Free, "writer");
        return owners;
    }
}
