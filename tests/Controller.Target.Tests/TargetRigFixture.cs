// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target.Tests;

/// <summary>
/// The set-up the port-front test classes share: a fresh <see cref="TargetRig"/> (default options, RAM LDEVs) for each
/// test, disposed after it.
/// </summary>
public abstract class TargetRigFixture
{
    private TargetRig? _rig;

    /// <summary>Gets the test's rig.</summary>
    internal TargetRig Rig => _rig ?? throw new InvalidOperationException("the rig is made by SetUp");

    [SetUp]
    public void CreateRig()
    {
        _rig = new TargetRig();
    }

    [TearDown]
    public async Task DisposeRig()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
            _rig = null;
        }
    }
}
