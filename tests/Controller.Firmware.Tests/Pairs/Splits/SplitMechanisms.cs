// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Tests.Pairs.Splits;

/// <summary>The two split mechanisms as test cases, for every split test that runs both.</summary>
internal static class SplitMechanisms
{
    public static IEnumerable<TestCaseData> Both()
    {
        yield return new TestCaseData(AtomicSplitMechanism.Freeze).SetName("Freeze");
        yield return new TestCaseData(AtomicSplitMechanism.SequenceCut).SetName("SequenceCut");
    }
}
