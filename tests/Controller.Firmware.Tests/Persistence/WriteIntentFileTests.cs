// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Persistence;

namespace Controller.Firmware.Tests.Persistence;

/// <summary>
/// The write-intent file (docs/durability.md): two slots written in turn, so a keep torn by a crash leaves the record
/// before it, which no write relied on being replaced; anything unreadable is "unknown", never "clean".
/// </summary>
public sealed class WriteIntentFileTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("intent-").FullName;
    }

    [TearDown]
    public void DeleteDirectory()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void TheLastWholeRecordIsReadAndATornOneFallsBackToTheOneBefore()
    {
        string path = Path.Combine(_directory, "intent-00-01");
        using (WriteIntentFile file = WriteIntentFile.Create(path, words: 2, [0, 0]))
        {
            Assert.That(file.Keep([0b101, 0]), Is.True);
            Assert.That(file.Keep([0b111, 1UL << 63]), Is.True);
        }

        Assert.That(WriteIntentFile.Read(path, 2, out string? note), Is.EqualTo(new ulong[] { 0b111, 1UL << 63 }));
        Assert.That(note, Is.Null);

        // The last keep (generation 3) went to slot 1: tear it.
        byte[] bytes = File.ReadAllBytes(path);
        bytes[(bytes.Length / 2) + 40] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        Assert.That(WriteIntentFile.Read(path, 2, out _), Is.EqualTo(new ulong[] { 0b101, 0 }), "the record before the torn keep");

        // Both torn: nothing says which regions are clean.
        bytes[40] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        Assert.That(WriteIntentFile.Read(path, 2, out note), Is.Null);
        Assert.That(note, Does.Contain("CRC mismatch"));
    }

    [Test]
    public void AMissingFileOrAnotherSizeIsUnknown()
    {
        string path = Path.Combine(_directory, "intent-00-02");
        Assert.That(WriteIntentFile.Read(path, 1, out string? note), Is.Null);
        Assert.That(note, Does.Contain("no write-intent record"));
        using (WriteIntentFile.Create(path, words: 1, [7]))
        {
        }

        Assert.That(WriteIntentFile.Read(path, 3, out note), Is.Null, "an LDEV resized since");
        Assert.That(note, Does.Contain("resized"));
        using (WriteIntentFile again = WriteIntentFile.Create(path, words: 1, [0]))
        {
            Assert.That(again.Generation, Is.EqualTo(2), "a reopened file goes on from its last generation");
        }

        Assert.That(WriteIntentFile.Read(path, 1, out _), Is.EqualTo(new ulong[] { 0 }));
    }
}
