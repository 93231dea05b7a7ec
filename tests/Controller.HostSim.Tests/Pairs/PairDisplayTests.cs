// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text;
using System.Text.Json;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Controller.HostSim.Core.Pairs;
using Controller.Target.Scsi;
using Controller.Testing;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Tests.Pairs;

// The one pairdisplay renderer, over the PAIR STATUS rows of an in-process controller (moved from the firmware's
// CopyManagementTableTests with the renderer, which no longer lives in the core).
[Category("R0-4")]
public sealed class PairDisplayTests
{
    private const long Blocks = 1 << 14;

    [Test]
    public void PairDisplayShowsEachSidesView()
    {
        // FIG 7: 0x400104/0x0001 -> 0x400104/0x0002, and a cascade 0x400104/0x0002 -> 0x400104/0x0003.
        DeterministicScheduler scheduler = new(1);
        using StorageSubsystem subsystem = new(scheduler, new SubsystemOptions { MpCount = 2, QueueDepth = 64 });
        CopyManagementTable table = subsystem.Pairs;
        Ldev middle = subsystem.CreateLdev(new LdevId(2), Blocks);
        table.Create(Address(1), subsystem.CreateLdev(new LdevId(1), Blocks), Address(2), middle);
        table.Create(Address(2), middle, Address(3), subsystem.CreateLdev(new LdevId(3), Blocks));
        MirrorPair first = table.Find(Address(1), Address(2))!;
        scheduler.RunUntilIdle();
        subsystem.Sequencer.Next();
        table.Execute(Address(1), Address(2), PairOperation.Split);
        first.PVolBitmap.MarkWrite(0, 8);
        first.PVolBitmap.MarkWrite(1000, 8);

        PairStatusRow[] rows = [.. table.GetPairs().Select(PairStatusRows.Of)];
        Snapshot.Verify(PairDisplay.ToText(rows, PairDisplayColumns.Controller), "text");
        Snapshot.Verify(PairDisplay.ToText(rows), "host");
        Snapshot.Verify(Json(rows), "json");
    }

    [Test]
    public void ARowsMirrorNameIsShownAndNoNameIsADash()
    {
        PairStatusRow named = new(1, new WireVolumeId(new PortId(0x400104), 1), new WireVolumeId(new PortId(0x400104), 2), 0, (byte)PairState.Pair, 0, 0, 100, 0, 0, 0, "AUXSET1");
        PairStatusRow unnamed = named with { EntryId = 2, SVol = new WireVolumeId(new PortId(0x400104), 3), MirrorUnit = 1, MirrorName = string.Empty };

        foreach (PairDisplayColumns columns in Enum.GetValues<PairDisplayColumns>())
        {
            string[] lines = PairDisplay.ToText([named, unnamed], columns).Split('\n');
            Assert.That(lines, Has.Length.EqualTo(3), columns + ": a header and one line per row");
            Assert.That(lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Is.EqualTo("AUXSET1"), columns + ": the name column shows the row's name");
            Assert.That(lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Is.EqualTo("-"), columns + ": no name is a dash");
        }
    }

    private static string Json(IReadOnlyList<PairStatusRow> rows)
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter writer = new(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            PairDisplay.WriteJson(writer, rows);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static VolumeAddress Address(ushort lun)
    {
        return new VolumeAddress(new PortId(0x400104), new Lun(lun));
    }
}
