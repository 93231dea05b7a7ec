// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Daemon.Configuration;
using Controller.Target;

namespace Controller.Daemon.Tests.Configuration;

/// <summary>The bounded-resource statements (docs/controllerd.md, "Bounded resources"): defaults, each value, each refusal.</summary>
public sealed partial class ControllerConfigParserTests
{
    private static readonly TestCaseData[] LimitRefusals =
    [
        Refusal("max-connections zero", "max-connections 0", 6, "max-connections must be 1 to 65535, not 0"),
        Refusal("max-connections not a number", "max-connections many", 6, "max-connections 'many' is not a whole number"),
        Refusal("max-connections given twice", "max-connections 8\nmax-connections 9", 7, "'max-connections' is given twice (first on line 6)"),
        Refusal("max-connections missing its count", "max-connections", 6, "'max-connections' is missing arguments; expected: max-connections COUNT"),
        Refusal("send-queue-limit below 64KiB", "send-queue-limit 4KiB", 6, "send-queue-limit 4KiB is below the smallest, 64KiB"),
        Refusal("send-queue-limit not a size", "send-queue-limit 1.5MiB", 6, "send-queue-limit '1.5MiB' must be a whole number of bytes with an optional KiB, MiB, GiB or TiB suffix, e.g. 64MiB"),
        Refusal("send-queue-total below the default limit", "send-queue-total 32MiB", 6, "send-queue-total (33554432 bytes) is below the default send-queue-limit (67108864 bytes): the total must hold at least one connection's limit"),
        Refusal("send-queue-limit above the total", "send-queue-total 128MiB\nsend-queue-limit 256MiB", 7, "send-queue-total (134217728 bytes) is below send-queue-limit (268435456 bytes): the total must hold at least one connection's limit"),
        Refusal("timeout zero", "login-timeout 0", 6, "login-timeout must be 1 to 86400, not 0 (whole seconds, or 'off')"),
        Refusal("timeout with a unit", "frame-timeout 10s", 6, "frame-timeout '10s' is not a whole number (whole seconds, or 'off')"),
        Refusal("timeout over a day", "send-timeout 86401", 6, "send-timeout must be 1 to 86400, not 86401 (whole seconds, or 'off')"),
        Refusal("idle timeout with an extra word", "idle-timeout 60 s", 6, "'idle-timeout' has an extra argument 's'; expected: idle-timeout SECONDS | off"),
        Refusal("timeout off in capitals", "idle-timeout OFF", 6, "idle-timeout 'OFF' is not a whole number (whole seconds, or 'off')"),
        Refusal("timeout given twice", "send-timeout 5\nsend-timeout off", 7, "'send-timeout' is given twice (first on line 6)"),
    ];

    [Test]
    public void WithoutLimitStatementsTheDefaultsApply()
    {
        ControllerConfig config = Parse(TwoLdevsOnOnePort);
        Assert.That(config.Limits, Is.EqualTo(ConnectionLimits.Default), "no statement: the defaults");
        Assert.Multiple(() =>
        {
            Assert.That(config.Limits.MaxConnections, Is.EqualTo(256), "max-connections");
            Assert.That(config.Limits.SendQueueLimit, Is.EqualTo(64L << 20), "send-queue-limit 64 MiB");
            Assert.That(config.Limits.SendQueueTotal, Is.EqualTo(768L << 20), "send-queue-total 768 MiB");
            Assert.That(config.Limits.LoginTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)), "login-timeout");
            Assert.That(config.Limits.FrameTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)), "frame-timeout");
            Assert.That(config.Limits.SendTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)), "send-timeout");
            Assert.That(config.Limits.IdleTimeout, Is.Null, "idle-timeout off");
        });
    }

    [Test]
    public void EveryLimitStatementSetsItsLimit()
    {
        ControllerConfig config = Parse(TwoLdevsOnOnePort + """
            max-connections 8
            send-queue-limit 16MiB
            send-queue-total 1GiB
            login-timeout 5
            frame-timeout off
            send-timeout 120
            idle-timeout 600   # a comment
            """);
        Assert.That(config.Limits, Is.EqualTo(new ConnectionLimits
        {
            MaxConnections = 8,
            SendQueueLimit = 16L << 20,
            SendQueueTotal = 1L << 30,
            LoginTimeout = TimeSpan.FromSeconds(5),
            FrameTimeout = null,
            SendTimeout = TimeSpan.FromSeconds(120),
            IdleTimeout = TimeSpan.FromSeconds(600),
        }), "each statement's value");
        Assert.That(config.Limits.Describe(), Is.EqualTo("max-connections 8, send-queue-limit 16MiB per connection, send-queue-total 1024MiB, login-timeout 5 s, frame-timeout off, send-timeout 120 s, idle-timeout 600 s"), "the start-up log line");
    }

    [TestCaseSource(nameof(LimitRefusals))]
    public void EachWrongLimitStatementIsRefusedNamingTheFileTheLineAndTheReason(string lines, int line, string reason)
    {
        ConfigException? ex = Assert.Throws<ConfigException>(() => Parse(TwoLdevsOnOnePort + lines), "the configuration is refused");
        Assert.That(ex!.Message, Is.EqualTo(FileName + ":" + line + ": " + reason), "the message is file:line: reason");
    }
}
