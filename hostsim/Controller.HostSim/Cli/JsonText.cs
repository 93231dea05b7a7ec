// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Controller.HostSim.Cli;

/// <summary>
/// Writes one indented JSON object to a string: every <c>--json</c> report goes through here. Text is escaped only
/// where JSON needs it (the reports are read by tools and people, not embedded in HTML), so "->" stays "->".
/// </summary>
internal static class JsonText
{
    /// <summary>Writes an object.</summary>
    /// <param name="body">Writes the object's members (the braces are written here).</param>
    /// <returns>The JSON text.</returns>
    public static string Object(Action<Utf8JsonWriter> body)
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter writer = new(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
