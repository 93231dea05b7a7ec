// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text;
using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using static Controller.Firmware.Pairs.DeterminingState;
using static Controller.Firmware.Pairs.PairRole;
using static Controller.Firmware.PairVocabulary.PairErrorCode;
using static Controller.Firmware.PairVocabulary.PairOperation;

namespace Controller.Firmware.Pairs;

/// <summary>
/// Seed 002 FIG 4, "response from storage device when the pair resynchronization command is issued", for
/// determining pairs: the response to PAIR RESYNCHRONIZATION and PAIR SWAP RESYNCHRONIZATION by the attribute of
/// the volume the command was sent to and the pair's state. NORMAL END only for (resync, P-VOL, suspend normal)
/// (ref. 130) and (swap resync, S-VOL, suspend normal) (ref. 131); the other 18 cells answer ABNORMAL END and change
/// nothing. This is what makes the pair a lock (R2-8): from the armed state exactly one of the two commands can
/// succeed, and after it the other meets a copying or paired pair, or finds its volume has become an S-VOL. Where
/// vendor table T1 differs (a resync of a PAIR volume is a successful no-op there), determining pairs follow this
/// table (docs/state-tables.md).
/// </summary>
public static class DeterminingPairTable
{
    private static readonly int StateCount = Enum.GetValues<DeterminingState>().Length;

    // Every cell of FIG 4, in the figure's order: command, attribute of the target volume, pair state, response.
    private static readonly DeterminingCell[] Rows =
    [
        new(Resync, PVol, NonPaired, false, NotPaired),
        new(Resync, PVol, Copying, false, CopyInProgress),
        new(Resync, PVol, Paired, false, DeterminingPairHeld),
        new(Resync, PVol, SuspendNormal, true, None),
        new(Resync, PVol, SuspendAbnormal, false, SuspendedByError),
        new(Resync, SVol, NonPaired, false, NotPaired),
        new(Resync, SVol, Copying, false, CopyInProgress),
        new(Resync, SVol, Paired, false, DeterminingPairHeld),
        new(Resync, SVol, SuspendNormal, false, NotPrimary),
        new(Resync, SVol, SuspendAbnormal, false, SuspendedByError),
        new(SwapResync, PVol, NonPaired, false, NotPaired),
        new(SwapResync, PVol, Copying, false, CopyInProgress),
        new(SwapResync, PVol, Paired, false, DeterminingPairHeld),
        new(SwapResync, PVol, SuspendNormal, false, NotSecondary),
        new(SwapResync, PVol, SuspendAbnormal, false, SuspendedByError),
        new(SwapResync, SVol, NonPaired, false, NotPaired),
        new(SwapResync, SVol, Copying, false, CopyInProgress),
        new(SwapResync, SVol, Paired, false, DeterminingPairHeld),
        new(SwapResync, SVol, SuspendNormal, true, None),
        new(SwapResync, SVol, SuspendAbnormal, false, SuspendedByError),
    ];

    private static readonly DeterminingCell?[] Cells = Build();

    /// <summary>Gets the 20 cells in FIG 4's order.</summary>
    public static IReadOnlyList<DeterminingCell> All => Rows;

    /// <summary>Maps a pair state onto FIG 4's five (COPY, COPY(RS) and RCPY are all "copying in progress").</summary>
    /// <param name="state">The pair state.</param>
    /// <returns>The FIG 4 state.</returns>
    public static DeterminingState StateOf(PairState state)
    {
        return state switch
        {
            PairState.Smpl => NonPaired,
            PairState.Pair => Paired,
            PairState.Psus => SuspendNormal,
            PairState.Psue => SuspendAbnormal,
            _ => Copying,
        };
    }

    /// <summary>Gets the response to a command.</summary>
    /// <param name="command"><see cref="PairOperation.Resync"/> or <see cref="PairOperation.SwapResync"/>.</param>
    /// <param name="attribute">The attribute of the volume the command was sent to.</param>
    /// <param name="state">The pair's state, as its owner holds it.</param>
    /// <returns>The cell.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Another command (FIG 4 has only these two).</exception>
    public static DeterminingCell Lookup(PairOperation command, PairRole attribute, PairState state)
    {
        return Lookup(command, attribute, StateOf(state));
    }

    /// <summary>Gets the response to a command in one of FIG 4's states.</summary>
    /// <param name="command"><see cref="PairOperation.Resync"/> or <see cref="PairOperation.SwapResync"/>.</param>
    /// <param name="attribute">The attribute of the volume the command was sent to.</param>
    /// <param name="state">The FIG 4 state.</param>
    /// <returns>The cell.</returns>
    public static DeterminingCell Lookup(PairOperation command, PairRole attribute, DeterminingState state)
    {
        if (command is not (Resync or SwapResync))
        {
            throw new ArgumentOutOfRangeException(nameof(command), command, "FIG 4 decides PAIR RESYNCHRONIZATION and PAIR SWAP RESYNCHRONIZATION only");
        }

        return Cells[Index(command, attribute, state)]!.Value;
    }

    /// <summary>Renders the table in Markdown as FIG 4 prints it.</summary>
    /// <returns>The Markdown text.</returns>
    public static string ToMarkdown()
    {
        StringBuilder text = new("| Command | Attribute of target volume | Pair state | Response |\n|---|---|---|---|\n");
        foreach (DeterminingCell cell in Rows)
        {
            text.Append("| ").Append(cell.Command == Resync ? "PAIR RESYNCHRONIZATION" : "PAIR SWAP RESYNCHRONIZATION")
                .Append(" | ").Append(cell.Attribute == PVol ? "P-VOL" : "S-VOL")
                .Append(" | ").Append(NameOf(cell.State))
                .Append(" | ").Append(cell.NormalEnd ? "**NORMAL END**" : "ABNORMAL END (" + cell.Error + ")").Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>Gets FIG 4's name of a state.</summary>
    /// <param name="state">The state.</param>
    /// <returns>E.g. "SUSPEND STATE (NORMAL)".</returns>
    public static string NameOf(DeterminingState state)
    {
        return state switch
        {
            NonPaired => "NON-PAIRED VOLUME",
            Copying => "COPYING IN PROGRESS",
            Paired => "PAIRED STATE",
            SuspendNormal => "SUSPEND STATE (NORMAL)",
            _ => "SUSPEND STATE (ABNORMAL)",
        };
    }

    private static int Index(PairOperation command, PairRole attribute, DeterminingState state)
    {
        return ((((command == Resync ? 0 : 1) * 2) + (int)attribute) * StateCount) + (int)state;
    }

    // Each of the 2 x 2 x 5 cells exactly once, NORMAL END with no error and ABNORMAL END with one: checked at start-up.
    private static DeterminingCell?[] Build()
    {
        DeterminingCell?[] cells = new DeterminingCell?[2 * 2 * StateCount];
        foreach (DeterminingCell cell in Rows)
        {
            int at = Index(cell.Command, cell.Attribute, cell.State);
            if (cells[at] is not null || cell.NormalEnd != (cell.Error == None))
            {
                ThrowHelper.ThrowInvalidOperation("FIG 4: cell " + cell + " is repeated or inconsistent");
            }

            cells[at] = cell;
        }

        if (Array.IndexOf(cells, null) >= 0)
        {
            ThrowHelper.ThrowInvalidOperation("FIG 4: a cell is missing");
        }

        return cells;
    }
}
