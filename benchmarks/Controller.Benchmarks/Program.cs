// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Running;

namespace Controller.Benchmarks;

/// <summary>Runs the suites: <c>dotnet run -c Release --project benchmarks/Controller.Benchmarks -- --filter '*'</c>.</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
