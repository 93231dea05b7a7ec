// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Testing.Tests;

/// <summary>Environment readers for <see cref="SnapshotOptions.EnvironmentReader"/> that never touch the process environment.</summary>
public static class FakeEnvironment
{
    public static Func<string, string?> Empty { get; } = static _ => null;

    public static Func<string, string?> With(params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => values.GetValueOrDefault(name);
    }

    public static SnapshotOptions Options(params (string Name, string Value)[] variables) =>
        new() { EnvironmentReader = With(variables) };
}
