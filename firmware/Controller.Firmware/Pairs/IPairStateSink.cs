// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>
/// Where the Copy Management Table's row changes go to be kept (the controller's non-volatile memory): the table
/// calls <see cref="RowChanged"/> and <see cref="RowDeleted"/> under its lock, in the order it made the changes, and
/// the front end calls <see cref="Commit"/> before it answers the command that made them (docs/durability.md).
/// </summary>
public interface IPairStateSink
{
    /// <summary>A row was added or changed: keep its new value (not yet durable).</summary>
    /// <param name="row">The row as it is now.</param>
    void RowChanged(PairSnapshot row);

    /// <summary>A row was deleted (not yet durable).</summary>
    /// <param name="entryId">Its entry ID.</param>
    void RowDeleted(int entryId);

    /// <summary>Makes every change handed over so far durable.</summary>
    void Commit();
}
