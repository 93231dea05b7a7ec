// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Volumes;

/// <summary>
/// The pipelined group commit (issue #18, docs/performance.md "Durable 4 KiB writes"): more than one sync per LDEV in
/// flight. Driven alone, on one thread: the test plays the MP (a write returns, is counted, its answer held), and a
/// sync calls back into the test while it runs (<see cref="NestedSyncDevice"/>), so later writes and later syncs
/// happen inside it and syncs end in any order. Every answer is checked against what had returned when each
/// successful sync began.
/// </summary>
[TestFixture]
public sealed class PipelinedGroupCommitTests
{
    [Test]
    public void ASyncThatEndsFirstAnswersOnlyTheWritesThatReturnedBeforeItBegan()
    {
        Rig rig = new(syncsInFlight: 2);
        rig.Device.DuringSync = number =>
        {
            if (number == 1)
            {
                rig.Write(2);
                Assert.That(rig.Scheduler.Pending, Is.EqualTo(1), "write 2 returned after sync 1 began: a second sync starts for it at once");
                rig.Scheduler.Run();
                Assert.Multiple(() =>
                {
                    Assert.That(rig.Answered(1), Is.EqualTo(MediaStatus.Good), "sync 2 began after write 1 returned: it covers write 1 although sync 1 still runs");
                    Assert.That(rig.Answered(2), Is.EqualTo(MediaStatus.Good), "and write 2");
                    Assert.That(rig.IsAnswered(3), Is.False, "write 3 returned after sync 2 began: not answered by it");
                    Assert.That(rig.Scheduler.Pending, Is.EqualTo(1), "sync 2 ended, so a slot is free: a sync for write 3 is started");
                });
            }
            else if (number == 2)
            {
                rig.Write(3);
                Assert.That(rig.Scheduler.Pending, Is.Zero, "two syncs run: write 3 waits for a free slot");
            }
        };

        rig.Write(1);
        rig.Scheduler.Run();
        Assert.That(rig.IsAnswered(3), Is.False, "sync 1 began before write 3: its end answers nothing more");
        rig.Scheduler.Run();
        Assert.Multiple(() =>
        {
            Assert.That(rig.Answered(3), Is.EqualTo(MediaStatus.Good), "sync 3 covers write 3");
            Assert.That(rig.Device.Syncs, Is.EqualTo(3), "three syncs");
            Assert.That(rig.Device.MostAtOnce, Is.EqualTo(2), "two of them at once");
            Assert.That(rig.Scheduler.Pending, Is.Zero, "nothing left to sync");
        });
    }

    [Test]
    public void TheMpStartsWriteBackEveryFourHeldAnswersAndAnswersNothingByIt()
    {
        Rig rig = new(syncsInFlight: 1);
        rig.Device.DuringSync = number =>
        {
            if (number == 1)
            {
                for (long write = 2; write <= 9; write++)
                {
                    rig.Write(write);
                }

                Assert.That(rig.Device.WritebackStarts, Is.EqualTo(new long[] { 4, 8 }), "a start after the 4th and the 8th held answer, on the MP, at once");
                Assert.That(Enumerable.Range(2, 8).Any(write => rig.IsAnswered(write)), Is.False, "a write-back start makes nothing durable: writes 2 to 9 wait for a sync");
            }
        };

        rig.Write(1);
        rig.Scheduler.Run();
        rig.Scheduler.Run();
        Assert.That(Enumerable.Range(1, 9).All(write => rig.Answered(write) == MediaStatus.Good), Is.True, "the syncs answer them");
        Assert.That(GroupCommit.WritebackStartEvery, Is.EqualTo(4));
    }

    [Test]
    public void WithOneSyncInFlightWritesArrivingDuringASyncWaitForItsEnd()
    {
        Rig rig = new(syncsInFlight: 1);
        rig.Device.DuringSync = number =>
        {
            if (number == 1)
            {
                rig.Write(2);
                rig.Write(3);
                Assert.That(rig.Scheduler.Pending, Is.Zero, "one sync at a time: no second sync while the first runs");
            }
        };

        rig.Write(1);
        rig.Scheduler.Run();
        Assert.That(rig.IsAnswered(2), Is.False, "write 2 returned after sync 1 began");
        rig.Scheduler.Run();
        Assert.Multiple(() =>
        {
            Assert.That(rig.Answered(2), Is.EqualTo(MediaStatus.Good), "one sync covers writes 2 and 3");
            Assert.That(rig.Answered(3), Is.EqualTo(MediaStatus.Good), "write 3 too");
            Assert.That(rig.Device.Syncs, Is.EqualTo(2), "two syncs for three writes");
        });
    }

    [Test]
    public void AFailedSyncAmongSyncsInFlightMakesEveryLaterAnswerMediumError()
    {
        Rig rig = new(syncsInFlight: 2);
        rig.Device.Failing.Add(1);
        rig.Device.DuringSync = number =>
        {
            if (number == 1)
            {
                rig.Write(2);
                rig.Scheduler.Run();
                rig.Write(3);
            }
        };

        rig.Write(1);
        rig.Scheduler.Run();
        Assert.That(rig.Scheduler.Pending, Is.EqualTo(1), "sync 3 was started for write 3 before sync 1 failed");
        rig.Scheduler.Run();
        rig.Write(4);
        Assert.Multiple(() =>
        {
            Assert.That(rig.Answered(1), Is.EqualTo(MediaStatus.Good), "sync 2 succeeded after write 1 returned (on its own handle it would have seen write 1's error)");
            Assert.That(rig.Answered(2), Is.EqualTo(MediaStatus.Good), "and covered write 2");
            Assert.That(rig.Answered(3), Is.EqualTo(MediaStatus.MediumError), "held when sync 1 failed: MEDIUM ERROR, not a sync that proves nothing");
            Assert.That(rig.Answered(4), Is.EqualTo(MediaStatus.MediumError), "written after the failure: MEDIUM ERROR at once");
            Assert.That(rig.Device.Syncs, Is.EqualTo(2), "no sync after the failure: sync 3 found it and did not flush");
            Assert.That(rig.Scheduler.Pending, Is.Zero, "none scheduled");
        });
    }

    [Test]
    public void EveryAnswerFollowsASyncThatBeganAfterItsWriteWhateverOrderSyncsEndIn(
        [Values(1, 2, 3)] int syncsInFlight,
        [Range(1UL, 30UL)] ulong seed)
    {
        Rig rig = new(syncsInFlight);
        SplitMix64 random = new(seed * 31 + (ulong)syncsInFlight);
        long written = 0;
        void Act()
        {
            // Write, or run a scheduled sync (inside another sync when called from DuringSync), at seeded random.
            int actions = 1 + (int)(random.NextUInt64() % 4);
            for (int i = 0; i < actions; i++)
            {
                if (rig.Scheduler.Pending > 0 && random.NextUInt64() % 3 == 0)
                {
                    rig.Scheduler.Run((int)(random.NextUInt64() % (ulong)rig.Scheduler.Pending));
                }
                else if (written < 200)
                {
                    rig.Write(++written);
                }
            }
        }

        rig.Device.DuringSync = _ => Act();
        while (written < 200)
        {
            Act();
        }

        while (rig.Scheduler.Pending > 0)
        {
            rig.Scheduler.Run();
        }

        Assert.Multiple(() =>
        {
            Assert.That(rig.Answers, Has.Count.EqualTo(200), "seed " + seed + ": every write answered (once: the log refuses a second)");
            Assert.That(rig.Answers.Values.Select(a => a.Status), Is.All.EqualTo(MediaStatus.Good), "seed " + seed + ": all GOOD");
            Assert.That(rig.Answers.Values.Select(a => a.Durable), Is.All.True, "seed " + seed + ": each answered after a sync that began after its write returned");
            Assert.That(rig.Device.MostAtOnce, Is.LessThanOrEqualTo(syncsInFlight), "seed " + seed + ": never more syncs at once than allowed");
            Assert.That(rig.Device.Syncs, Is.LessThan(200), "seed " + seed + ": writes share syncs");
        });
    }

    private sealed class Rig : IDurableAnswers
    {
        public Rig(int syncsInFlight)
        {
            Commit = new GroupCommit(Device, this, Scheduler, capacity: 256, syncsInFlight);
        }

        public NestedSyncDevice Device { get; } = new();

        public ManualScheduler Scheduler { get; } = new();

        public GroupCommit Commit { get; }

        /// <summary>Gets each answer by its write's number: status, and whether the write was durable then.</summary>
        public Dictionary<long, (MediaStatus Status, bool Durable)> Answers { get; } = [];

        /// <summary>A write returns on the MP and its answer goes where BlockCommandHandler sends it.</summary>
        public void Write(long number)
        {
            Device.WriteReturned();
            long ticket = Commit.Issue();
            Assert.That(ticket, Is.EqualTo(number), "tickets count the writes");
            DurableAck ack = new(default, ticket, null);
            if (Commit.IsDurable(ticket))
            {
                OnDurable(ack, MediaStatus.Good);
            }
            else if (!Commit.TryHold(ack))
            {
                OnDurable(ack, Commit.SyncThrough(ticket));
            }
        }

        public bool IsAnswered(long number)
        {
            return Answers.ContainsKey(number);
        }

        public MediaStatus Answered(long number)
        {
            Assert.That(Answers.ContainsKey(number), Is.True, "write " + number + " is answered");
            return Answers[number].Status;
        }

        public void OnDurable(in DurableAck ack, MediaStatus status)
        {
            Assert.That(Answers.ContainsKey(ack.Ticket), Is.False, "write " + ack.Ticket + " is answered once");
            Answers[ack.Ticket] = (status, ack.Ticket <= Device.DurableThrough);
        }
    }
}
