// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>
/// A command table's expected cells, written in the tests independently of the firmware's table: "->X" accepted into
/// X, "=" a no-op that returns success (the vendor tables' "Acceptable"), "!Code" rejected with that error.
/// </summary>
internal static class CommandTableExpectation
{
    /// <summary>Gets the columns of every expectation, in <see cref="PairOperation"/> order.</summary>
    public static PairOperation[] Columns { get; } = Enum.GetValues<PairOperation>();

    /// <summary>One test case per cell.</summary>
    public static IEnumerable<TestCaseData> Cells((PairState State, string Cells)[] expected)
    {
        foreach ((PairState state, string cells) in expected)
        {
            string[] tokens = cells.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(tokens, Has.Length.EqualTo(Columns.Length), "one expected cell per operation in the row of " + state);
            for (int i = 0; i < Columns.Length; i++)
            {
                yield return new TestCaseData(state, Columns[i], tokens[i]).SetName(state + " x " + Columns[i] + " is " + tokens[i]);
            }
        }
    }

    /// <summary>Checks one cell.</summary>
    public static void AssertCell(PairCommandTable table, PairState state, PairOperation operation, string expected)
    {
        TransitionRule rule = table.Lookup(state, operation);
        string context = table.Name + ": " + PairStateNames.Of(state) + " x " + operation;
        if (expected.StartsWith("->", StringComparison.Ordinal))
        {
            Assert.That(rule.Result, Is.EqualTo(CommandResult.Accepted), context + " is accepted");
            Assert.That(rule.NextState, Is.EqualTo(Enum.Parse<PairState>(expected[2..])), context + " next state");
            Assert.That(rule.Error, Is.EqualTo(PairErrorCode.None), context + " carries no error");
        }
        else if (expected == "=")
        {
            Assert.That(rule.Result, Is.EqualTo(CommandResult.NoOp), context + " is a no-op that returns success");
            Assert.That(rule.NextState, Is.EqualTo(state), context + " leaves the state alone");
        }
        else
        {
            Assert.That(rule.Result, Is.EqualTo(CommandResult.Rejected), context + " is rejected");
            Assert.That(rule.Error, Is.EqualTo(Enum.Parse<PairErrorCode>(expected[1..])), context + " error code");
            Assert.That(rule.NextState, Is.EqualTo(state), context + ": a rejection changes nothing");
        }
    }
}
