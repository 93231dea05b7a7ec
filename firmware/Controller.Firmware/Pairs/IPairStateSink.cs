// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>
/// Where the Copy Management Table's row changes go to be kept (the controller's non-volatile memory): at
/// <see cref="CopyManagementTable.CommitState"/>, which the front end calls before it answers a command, the table hands
/// over every row changed since the last time (<see cref="RowChanged"/>, <see cref="RowDeleted"/>) under its lock, then
/// calls <see cref="Commit"/> outside it (docs/durability.md).
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
