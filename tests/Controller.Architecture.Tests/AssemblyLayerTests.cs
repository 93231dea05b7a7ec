// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Reflection;

namespace Controller.Architecture.Tests;

/// <summary>
/// The project layers of docs/architecture.md ("Layers and projects"), read from the built assemblies: which of
/// our assemblies each one uses, and who uses the hosting and logging providers. An assembly's references are what
/// its IL uses (the compiler drops a reference nothing uses), so a rule breaks on a use, not on a project line.
/// </summary>
public sealed class AssemblyLayerTests
{
    // Each product assembly and the product assemblies it may use. Controller.Addressing (PortId, Lun, LdevId,
    // VolumeAddress) is the bottom: it uses none of ours, so the wire codec and the core can share one port identity.
    // Wire and Firmware see none of the others but it: the wire codec is shared by controller and hosts, the core
    // knows no frames and no sockets.
    private static readonly Dictionary<string, string[]> MayUse = new(StringComparer.Ordinal)
    {
        ["Controller.Addressing"] = [],
        ["Controller.Wire"] = ["Controller.Addressing"],
        ["Controller.Firmware"] = ["Controller.Addressing"],
        ["Controller.Initiator"] = ["Controller.Addressing", "Controller.Wire"],
        ["Controller.Target"] = ["Controller.Addressing", "Controller.Wire", "Controller.Firmware", "Controller.Initiator"],
        ["controllerd"] = ["Controller.Addressing", "Controller.Wire", "Controller.Firmware", "Controller.Initiator", "Controller.Target"],
        ["Controller.Workload"] = [],
        ["Controller.Traces"] = ["Controller.Addressing", "Controller.Wire"],
        ["Controller.HostSim.Core"] = ["Controller.Addressing", "Controller.Wire", "Controller.Firmware", "Controller.Initiator", "Controller.Target", "Controller.Workload", "Controller.Traces"],
        ["hostsim"] = ["Controller.Addressing", "Controller.Wire", "Controller.Firmware", "Controller.Initiator", "Controller.Target", "Controller.Workload", "Controller.Traces", "Controller.HostSim.Core"],
    };

    // The programs: only they choose how to host and where logs go; libraries log through an abstraction.
    private static readonly string[] Programs = ["controllerd", "hostsim"];

    private static IEnumerable<string> ProductAssemblies => MayUse.Keys;

    private static IEnumerable<string> Libraries => MayUse.Keys.Except(Programs);

    [TestCaseSource(nameof(ProductAssemblies))]
    public void UsesOnlyTheLayersBelowIt(string assemblyName)
    {
        Assert.That(Breaches(assemblyName, References(assemblyName)), Is.Empty, assemblyName + " uses a project above it or beside it (docs/architecture.md, \"Layers and projects\")");
    }

    [Test]
    public void TheRuleRefusesAnAddressingThatUsesTheWireCodec()
    {
        // The layer test must be able to fail at the bottom: were the primitives to use the codec (or the core), the
        // codec and the core would meet again through them.
        Assert.Multiple(() =>
        {
            Assert.That(Breaches("Controller.Addressing", ["System.Runtime", "Controller.Wire"]), Is.EqualTo(new[] { "Controller.Wire" }));
            Assert.That(Breaches("Controller.Addressing", ["System.Runtime", "Controller.Firmware"]), Is.EqualTo(new[] { "Controller.Firmware" }));
            Assert.That(Breaches("Controller.Wire", ["System.Runtime", "Controller.Addressing", "Controller.Firmware"]), Is.EqualTo(new[] { "Controller.Firmware" }));
            Assert.That(Breaches("Controller.Addressing", ["System.Runtime"]), Is.Empty);
        });
    }

    [TestCaseSource(nameof(Libraries))]
    public void LibrariesUseNoHostingOrLoggingProvider(string assemblyName)
    {
        string[] providers = [.. References(assemblyName).Where(IsHostingOrLoggingProvider)];

        Assert.That(providers, Is.Empty, assemblyName + " is a library: it logs through an abstraction and is hosted by a program");
    }

    [Test]
    public void TheRuleSeesAProvider()
    {
        // The provider test above must be able to fail: the names it looks for are the ones the packages use.
        Assert.Multiple(() =>
        {
            Assert.That(IsHostingOrLoggingProvider("Microsoft.Extensions.Hosting"), Is.True);
            Assert.That(IsHostingOrLoggingProvider("Microsoft.Extensions.Hosting.Abstractions"), Is.True);
            Assert.That(IsHostingOrLoggingProvider("Microsoft.Extensions.Logging"), Is.True);
            Assert.That(IsHostingOrLoggingProvider("Microsoft.Extensions.Logging.Console"), Is.True);
            Assert.That(IsHostingOrLoggingProvider("Microsoft.Extensions.Logging.Abstractions"), Is.False);
            Assert.That(IsHostingOrLoggingProvider("Microsoft.Extensions.ObjectPool"), Is.False);
        });
    }

    [Test]
    public void TheRuleReadsRealReferences()
    {
        // The layer test must be able to fail: the Target's references do include the core and the wire codec.
        Assert.That(References("Controller.Target"), Is.SupersetOf(new[] { "Controller.Wire", "Controller.Firmware" }));
    }

    [Test]
    public void TheCoreAndTheCodecReallyUseTheAddressingAssembly()
    {
        // PortId and its kin live in Controller.Addressing: the core's and the codec's references must show it, or the
        // rows above are checking an assembly nothing uses.
        Assert.Multiple(() =>
        {
            Assert.That(References("Controller.Firmware"), Does.Contain("Controller.Addressing"));
            Assert.That(References("Controller.Wire"), Does.Contain("Controller.Addressing"));
        });
    }

    private static bool IsHostingOrLoggingProvider(string name) =>
        name.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal)
        || (name.StartsWith("Microsoft.Extensions.Logging", StringComparison.Ordinal) && name != "Microsoft.Extensions.Logging.Abstractions");

    // Our assemblies among the references that the table does not allow the assembly to use.
    private static string[] Breaches(string assemblyName, IEnumerable<string> references) =>
        [.. references.Where(reference => MayUse.ContainsKey(reference) && !MayUse[assemblyName].Contains(reference))];

    private static string[] References(string assemblyName) =>
        [.. Assembly.Load(assemblyName).GetReferencedAssemblies().Select(reference => reference.Name ?? string.Empty)];
}
