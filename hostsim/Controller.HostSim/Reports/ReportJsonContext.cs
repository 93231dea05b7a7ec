// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json.Serialization;

namespace Controller.HostSim.Reports;

/// <summary>
/// The JSON reports <c>hostsim report</c> reads, as typed records by source generation: a field is read by its
/// property, once, and a missing one is a <see cref="System.Text.Json.JsonException"/> naming it.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LoadReportDocument))]
[JsonSerializable(typeof(BenchReportDocument))]
internal sealed partial class ReportJsonContext : JsonSerializerContext
{
}
