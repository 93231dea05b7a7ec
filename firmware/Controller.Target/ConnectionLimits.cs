// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Target;

/// <summary>
/// What one peer may make the port front hold (docs/controllerd.md, "Bounded resources"): connections, answer
/// bytes queued for sending, and how long a connection may sit in a state that costs the controller without
/// progress. Each timeout is null when off.
/// </summary>
public sealed record ConnectionLimits
{
    /// <summary>The default for <see cref="MaxConnections"/>.</summary>
    public const int DefaultMaxConnections = 256;

    /// <summary>The default for <see cref="SendQueueLimit"/>: 64 MiB.</summary>
    public const long DefaultSendQueueLimit = 64L * 1024 * 1024;

    /// <summary>The default for <see cref="SendQueueTotal"/>: 768 MiB.</summary>
    public const long DefaultSendQueueTotal = 768L * 1024 * 1024;

    /// <summary>
    /// The answer bytes every connection may have queued whatever the total says (1 MiB): a host doing small I/O
    /// keeps its pace while others have filled <see cref="SendQueueTotal"/>.
    /// </summary>
    public const long GuaranteedSendQueue = 1024L * 1024;

    /// <summary>Gets the limits used when none are given.</summary>
    public static ConnectionLimits Default { get; } = new();

    /// <summary>Gets the TCP connections a listener serves at once; one more is closed as soon as it is accepted, and logged.</summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;

    /// <summary>
    /// Gets the answer bytes (read data) one connection may have queued for sending, from the buffer the data is
    /// read into until the flush that sends it ends. At the limit the connection's next read command is not taken
    /// (not read from the socket) until the peer has taken enough of its answers.
    /// </summary>
    public long SendQueueLimit { get; init; } = DefaultSendQueueLimit;

    /// <summary>
    /// Gets the answer bytes all connections together may have queued. At the limit a connection holding more than
    /// <see cref="GuaranteedSendQueue"/> takes no read command that would go over it until some are sent.
    /// </summary>
    public long SendQueueTotal { get; init; } = DefaultSendQueueTotal;

    /// <summary>Gets how long a connection has to log in (PLOGI and PRLI) after it is accepted; null: no limit.</summary>
    public TimeSpan? LoginTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets how long a frame begun (some of its bytes received) may wait for the rest; null: no limit.</summary>
    public TimeSpan? FrameTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets how long a send to the peer may make no progress before the connection is closed; null: no limit.</summary>
    public TimeSpan? SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how long a logged-in connection may receive nothing with no command outstanding; null (the default): no limit.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Describes the limits in the words of the configuration file, for the start-up log.</summary>
    /// <returns>One line, e.g. <c>max-connections 256, send-queue-limit 64MiB, ...</c>.</returns>
    public string Describe()
    {
        return "max-connections " + MaxConnections.ToString(CultureInfo.InvariantCulture)
            + ", send-queue-limit " + Size(SendQueueLimit) + " per connection"
            + ", send-queue-total " + Size(SendQueueTotal)
            + ", login-timeout " + Seconds(LoginTimeout)
            + ", frame-timeout " + Seconds(FrameTimeout)
            + ", send-timeout " + Seconds(SendTimeout)
            + ", idle-timeout " + Seconds(IdleTimeout);
    }

    private static string Size(long bytes)
    {
        return bytes % (1024 * 1024) == 0 ? (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + "MiB" : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
    }

    private static string Seconds(TimeSpan? timeout)
    {
        return timeout is TimeSpan value ? value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s" : "off";
    }
}
