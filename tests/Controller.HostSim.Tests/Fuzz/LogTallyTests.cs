// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.HostSim.Core.Fuzz;

namespace Controller.HostSim.Tests.Fuzz;

public sealed class LogTallyTests
{
    [TestCase("fuzz 1: CHECK CONDITION 05/24/00 for 0x2A OX_ID 0x0012: write of 512 bytes", "CHECK CONDITION 05/24/00 for 0x2A OX_ID 0x#")]
    [TestCase("fuzz 3: initiator 0x010200 logged in to port 0x400104 (PLOGI)", "initiator 0x# logged in to port 0x# (PLOGI)")]
    [TestCase("fuzz 1: PLOGI from 0x010200 of 20 bytes is malformed: LS_RJT", "PLOGI from 0x# of # bytes is malformed")]
    [TestCase("fuzz 1: discarded a frame with R_CTL 0x02 TYPE 0x15 from 0x35C36D (not an FCP command)", "discarded a frame with R_CTL 0x02 TYPE 0x15 from 0x# (not an FCP command)")]
    [TestCase("no peer here", "no peer here")]
    [TestCase("7: 12", "#")]
    public void KindOfKeepsTheWordsAndSenseAndDropsIdsAndCounts(string line, string kind)
    {
        Assert.That(LogTally.KindOf(line), Is.EqualTo(kind), "the kind of '" + line + "'");
    }

    [Test]
    public void ASendSideThatClosesByItselfIsAFault()
    {
        LogTally log = new();
        log.Log("fuzz 1: CHECK CONDITION 05/24/00 for 0x2A OX_ID 0x0012: x");
        log.Log("fuzz 1: CHECK CONDITION 05/24/00 for 0x2A OX_ID 0x0013: y");
        log.Log("fuzz 1: send side closed: sending failed: NullReferenceException: z");
        Assert.Multiple(() =>
        {
            Assert.That(log.Lines, Is.EqualTo(3), "every line is counted");
            Assert.That(log.GetTop(1)[0], Is.EqualTo(new KeyValuePair<string, long>("CHECK CONDITION 05/24/00 for 0x2A OX_ID 0x#", 2)), "the most frequent kind first");
            Assert.That(log.GetFaults(), Has.Length.EqualTo(1).And.Some.Contains("NullReferenceException"), "the send-side failure is a fault");
        });
    }
}
