// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Controller.Daemon.Configuration;
using Controller.Daemon.Logging;
using Controller.Daemon.Store;
using Controller.Firmware.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Controller.Daemon.Hosting;

/// <summary>
/// One run of controllerd: the configuration read and the controller built (the errors of this part are messages on
/// standard error with exit codes 3 and 1, before anything is logged), then a Generic Host with the controller and its
/// remote-copy paths as hosted services (<see cref="ControllerService"/>, <see cref="RemoteCopyPathService"/>),
/// <see cref="ControllerdLifetime"/> for the signals, and the console log in controllerd's format
/// (<see cref="ControllerdConsoleFormatter"/>, at <c>--log-level</c>).
/// </summary>
internal static class ControllerdRun
{
    /// <summary>Runs controllerd until it stops.</summary>
    /// <param name="options">The command line.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(DaemonOptions options)
    {
        ControllerConfig config;
        try
        {
            config = ControllerConfigParser.ParseFile(options.ConfigPath);
        }
        catch (ConfigException exception)
        {
            Console.Error.WriteLine("controllerd: " + exception.Message);
            return 3;
        }

        IPEndPoint endPoint = config.Listen;
        if (options.Listen is not null && !IPEndPoint.TryParse(options.Listen, out endPoint!))
        {
            Console.Error.WriteLine("controllerd: --listen " + options.Listen + " is not an address:port, e.g. 127.0.0.1:3225");
            return ControllerdCommand.BadUsage;
        }

        ConfiguredController controller;
        RemoteCopyPaths paths = new(options.Pcap is not null);
        try
        {
            controller = ConfiguredController.Build(config, RealTimeScheduler.Instance, options.ResetState && !options.CheckOnly, options.CheckOnly, paths.Open);
        }
        catch (ConfigException exception)
        {
            Console.Error.WriteLine("controllerd: " + exception.Message);
            return 3;
        }
        catch (StoreInUseException exception)
        {
            Console.Error.WriteLine("controllerd: " + exception.Message);
            return 1;
        }

        using (controller)
        {
            if (options.CheckOnly)
            {
                Console.WriteLine("controllerd: " + options.ConfigPath + " is valid: " + controller.Ports.Count + " ports, " + config.Ldevs.Count + " LDEVs, " + config.Pairs.Count + " pairs");
                foreach (string note in controller.StateNotes)
                {
                    Console.WriteLine("controllerd: " + note);
                }

                return 0;
            }

            DaemonOutcome outcome = new();
            using IHost host = Build(controller, new DaemonSettings(endPoint, options.StopTimeout, options.Pcap), paths, outcome, options.LogLevel);
            try
            {
                await host.StartAsync().ConfigureAwait(false);
            }
            catch (DaemonStartException exception)
            {
                Console.Error.WriteLine("controllerd: " + exception.Message);
                return exception.ExitCode;
            }

            await host.WaitForShutdownAsync().ConfigureAwait(false);
            return outcome.ExitCode;
        }
    }

    private static IHost Build(ConfiguredController controller, DaemonSettings settings, RemoteCopyPaths paths, DaemonOutcome outcome, LogLevel level)
    {
        // No configuration sources, no environment: what the daemon does is its configuration file and command line.
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "controllerd" });
        builder.Logging.AddConsole(console => console.FormatterName = ControllerdConsoleFormatter.FormatterName)
            .AddConsoleFormatter<ControllerdConsoleFormatter, ConsoleFormatterOptions>()
            .SetMinimumLevel(level)
            // The framework's own events are not controllerd's log: the daemon logs its start, its stop and their failures.
            .AddFilter("Microsoft", LogLevel.None);
        builder.Services.AddSingleton(controller);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(paths);
        builder.Services.AddSingleton(outcome);
        builder.Services.AddSingleton<IHostLifetime, ControllerdLifetime>();

        // The stop is bounded by --stop-timeout (docs/controllerd.md, "Stopping"), not by the host's shutdown timeout.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = Timeout.InfiniteTimeSpan);

        // Started in this order and stopped in the reverse one: the listener before the paths start, and its drain
        // before they close (the services' remarks say why).
        builder.Services.AddHostedService<ControllerService>();
        builder.Services.AddHostedService<RemoteCopyPathService>();
        return builder.Build();
    }
}
