// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text;
using Controller.Addressing;
using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>
/// A pair state machine as data (docs/architecture.md decision 6): for every (state, command) one
/// <see cref="TransitionRule"/>. Built once from rows of rules and checked complete, so a missing or misplaced
/// cell fails at start-up, not in the field. The local-mirror table is <see cref="LocalMirrorTable"/>; the
/// remote-copy and determining-volume tables of later issues sit beside it.
/// </summary>
public sealed class PairCommandTable
{
    private static readonly int StateCount = Enum.GetValues<PairState>().Length;
    private static readonly int OperationCount = Enum.GetValues<PairOperation>().Length;

    private readonly TransitionRule[] _cells;

    /// <summary>Initializes a table from one row per state, rules in <see cref="PairOperation"/> order.</summary>
    /// <param name="name">The table's name, e.g. "T2 local mirror".</param>
    /// <param name="rows">Every state exactly once, each with one rule per operation.</param>
    /// <exception cref="ArgumentException">A state is missing or repeated, a row is short, or a no-op or rejection changes state.</exception>
    public PairCommandTable(string name, IReadOnlyList<(PairState State, TransitionRule[] Rules)> rows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rows);
        Name = name;
        _cells = new TransitionRule[StateCount * OperationCount];
        bool[] seen = new bool[StateCount];
        foreach ((PairState state, TransitionRule[] rules) in rows)
        {
            if (seen[(int)state])
            {
                ThrowHelper.ThrowArgument(nameof(rows), name + ": state " + state + " has two rows");
            }

            seen[(int)state] = true;
            if (rules.Length != OperationCount)
            {
                ThrowHelper.ThrowArgument(nameof(rows), name + ": state " + state + " has " + rules.Length + " rules, not " + OperationCount);
            }

            for (int op = 0; op < OperationCount; op++)
            {
                TransitionRule rule = rules[op];
                if (rule.Result != CommandResult.Accepted && rule.NextState != state)
                {
                    ThrowHelper.ThrowArgument(nameof(rows), name + ": " + state + " x " + (PairOperation)op + " changes state without being accepted");
                }

                _cells[((int)state * OperationCount) + op] = rule;
            }
        }

        for (int s = 0; s < StateCount; s++)
        {
            if (!seen[s])
            {
                ThrowHelper.ThrowArgument(nameof(rows), name + ": state " + (PairState)s + " has no row");
            }
        }
    }

    private PairCommandTable(string name, TransitionRule[] cells)
    {
        Name = name;
        _cells = cells;
    }

    /// <summary>A copy of this table with some cells replaced (a variant, e.g. the determining pairs' T1).</summary>
    /// <param name="name">The variant's name.</param>
    /// <param name="changes">The cells to replace.</param>
    /// <returns>The new table.</returns>
    /// <exception cref="ArgumentException">A replacement changes state without being accepted.</exception>
    public PairCommandTable With(string name, IReadOnlyList<(PairState State, PairOperation Operation, TransitionRule Rule)> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        TransitionRule[] cells = (TransitionRule[])_cells.Clone();
        foreach ((PairState state, PairOperation operation, TransitionRule rule) in changes)
        {
            if (rule.Result != CommandResult.Accepted && rule.NextState != state)
            {
                ThrowHelper.ThrowArgument(nameof(changes), name + ": " + state + " x " + operation + " changes state without being accepted");
            }

            cells[((int)state * OperationCount) + (int)operation] = rule;
        }

        return new PairCommandTable(name, cells);
    }

    /// <summary>Gets the table's name.</summary>
    public string Name { get; }

    /// <summary>Gets what <paramref name="operation"/> does to a pair in <paramref name="state"/>.</summary>
    /// <param name="state">The pair's state.</param>
    /// <param name="operation">The command.</param>
    /// <returns>The rule.</returns>
    public TransitionRule Lookup(PairState state, PairOperation operation)
    {
        return _cells[((int)state * OperationCount) + (int)operation];
    }

    /// <summary>Renders the table in Markdown, one row per state, as the vendor manuals print it.</summary>
    /// <returns>The Markdown text.</returns>
    public string ToMarkdown()
    {
        StringBuilder text = new();
        text.Append("| State |");
        for (int op = 0; op < OperationCount; op++)
        {
            text.Append(' ').Append((PairOperation)op).Append(" |");
        }

        text.Append('\n').Append("|---|");
        for (int op = 0; op < OperationCount; op++)
        {
            text.Append("---|");
        }

        text.Append('\n');
        for (int s = 0; s < StateCount; s++)
        {
            text.Append("| ").Append(PairStateNames.Of((PairState)s)).Append(" |");
            for (int op = 0; op < OperationCount; op++)
            {
                TransitionRule rule = Lookup((PairState)s, (PairOperation)op);
                string cell = rule.Result switch
                {
                    CommandResult.Accepted => "Accepted -> " + PairStateNames.Of(rule.NextState),
                    CommandResult.NoOp => "no-op",
                    _ => "Rejected: " + rule.Error,
                };
                text.Append(' ').Append(cell).Append(" |");
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
