// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Scheduling;
using Controller.Wire;
using Controller.Wire.Diagnostics;
using Controller.Wire.Transport;
using Microsoft.Extensions.Logging;

namespace Controller.Target.Tests;

/// <summary>
/// The port front's log events (<see cref="ConnectionLog"/>): with logging off nothing is formatted, so a logged path
/// allocates nothing for its line (docs/architecture.md, "Hosting and logging"); with it on, the line is the text
/// controllerd has always printed.
/// </summary>
public sealed class ConnectionLogTests
{
    private const int Frames = 1000;

    [Test]
    public void ALoggedPathAllocatesNothingForItsLineWhileLoggingIsOff()
    {
        using Rig rig = new(null);
        rig.SendDiscardedFrames(Frames);
        long before = GC.GetAllocatedBytesForCurrentThread();
        rig.SendDiscardedFrames(Frames);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, "1,000 discarded frames with no logger: their log line is never built");
    }

    [Test]
    public void ALevelAboveTheEventsIsOffToo()
    {
        List<string> lines = [];
        using Rig rig = new(new LineLogger(lines.Add), LogLevel.Error);
        rig.SendDiscardedFrames(Frames);
        long before = GC.GetAllocatedBytesForCurrentThread();
        rig.SendDiscardedFrames(Frames);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(lines, Is.Empty, "a discarded frame is a Warning, below the Error level asked for");
        Assert.That(allocated, Is.Zero, "a level that is off costs the level check only");
    }

    [Test]
    public void WithLoggingOnTheLineIsControllerdsTextAndTheMeasurementSeesItsAllocation()
    {
        List<string> lines = [];
        using Rig rig = new(new LineLogger(lines.Add));
        rig.SendDiscardedFrames(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        rig.SendDiscardedFrames(Frames);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(lines[0], Is.EqualTo("log host: discarded a frame with R_CTL 0x55 TYPE 0x0A from 0x010200 (not an FCP command, FCP data, ABTS or ELS request)"), "the template gives the line as it was built by hand before");
        Assert.That(lines, Has.Count.EqualTo(Frames + 1), "one line per frame");
        Assert.That(allocated, Is.GreaterThan(Frames * 64), "the same measurement counts the lines when they are built");
    }

    private sealed class Rig : IDisposable
    {
        private readonly StorageSubsystem _subsystem;
        private readonly TargetConnection _connection;

        public Rig(ILoggerFactory? loggers, LogLevel least = LogLevel.Trace)
        {
            _subsystem = new StorageSubsystem(new DeterministicScheduler(1), new SubsystemOptions { MpCount = 1 });
            TargetPort port = new(new PortId(TargetRig.PortA));
            ControllerFrontEnd frontEnd = new(_subsystem, [port], loggers is null ? new TargetOptions() : new TargetOptions { LoggerFactory = new LevelFilter(loggers, least) });
            (_, DuplexPipe target) = DuplexPipe.CreatePair();
            _connection = frontEnd.Accept(target, "log host");
        }

        // A frame no handler takes (R_CTL 0x55): the reader logs it as discarded and goes on.
        public void SendDiscardedFrames(int count)
        {
            FcFrameHeader header = new()
            {
                RoutingControl = 0x55,
                DestinationId = new PortId(TargetRig.PortA),
                SourceId = new PortId(TargetRig.Host),
                Type = 0x0A,
                FrameControl = FcFrameControl.Command,
                OriginatorExchangeId = 0x1234,
                ResponderExchangeId = 0xFFFF,
            };
            for (int i = 0; i < count; i++)
            {
                _connection.OnFrame(header, ReadOnlySpan<byte>.Empty, out _);
            }
        }

        public void Dispose()
        {
            _subsystem.Dispose();
        }
    }

    // The level a host's logging configuration would set, in front of a test logger.
    private sealed class LevelFilter(ILoggerFactory inner, LogLevel least) : ILoggerFactory, ILogger
    {
        public ILogger CreateLogger(string categoryName)
        {
            return this;
        }

        public void AddProvider(ILoggerProvider provider)
        {
            throw new NotSupportedException();
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            return null;
        }

        public bool IsEnabled(LogLevel logLevel)
        {
            return logLevel >= least;
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.CreateLogger("test").Log(logLevel, eventId, state, exception, formatter);
            }
        }

        public void Dispose()
        {
        }
    }
}
