// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO.Pipelines;

namespace Controller.Wire.Transport;

/// <summary>A connection's two byte streams: what it receives and what it sends.</summary>
public sealed class DuplexPipe : IDuplexPipe
{
    /// <summary>Initializes a pipe pair.</summary>
    /// <param name="input">What the connection receives.</param>
    /// <param name="output">What the connection sends.</param>
    public DuplexPipe(PipeReader input, PipeWriter output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        Input = input;
        Output = output;
    }

    /// <inheritdoc/>
    public PipeReader Input { get; }

    /// <inheritdoc/>
    public PipeWriter Output { get; }

    /// <summary>Wraps a network stream (e.g. a connected socket's) in pipes with 64 KiB buffers.</summary>
    /// <param name="stream">The stream; the pipes leave it open.</param>
    /// <returns>The pipe pair.</returns>
    public static DuplexPipe OverStream(Stream stream)
    {
        return new DuplexPipe(
            PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true)),
            PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true)));
    }

    /// <summary>Two connected in-memory pipe pairs: what one end sends, the other receives.</summary>
    /// <returns>The two ends.</returns>
    public static (DuplexPipe First, DuplexPipe Second) CreatePair()
    {
        PipeOptions options = new(pauseWriterThreshold: 4 * 1024 * 1024, resumeWriterThreshold: 2 * 1024 * 1024, useSynchronizationContext: false);
        Pipe firstToSecond = new(options);
        Pipe secondToFirst = new(options);
        return (new DuplexPipe(secondToFirst.Reader, firstToSecond.Writer), new DuplexPipe(firstToSecond.Reader, secondToFirst.Writer));
    }
}
