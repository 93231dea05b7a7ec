// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.RegularExpressions;

namespace Controller.Testing;

/// <summary>
/// Settings for a snapshot verification: the scrubbers to apply and where auto-accept reads its
/// environment variables from.
/// </summary>
public sealed class SnapshotOptions
{
    /// <summary>
    /// The environment variable that opts in to auto-accept: <c>1</c> or <c>true</c> (any case) makes a
    /// missing or changed snapshot be written as the new verified file instead of failing, unless
    /// <see cref="CiVariable"/> says the run is in CI.
    /// </summary>
    public const string AcceptVariable = "SNAPSHOT_ACCEPT";

    /// <summary>
    /// The environment variable that marks a CI run: <c>true</c> (any case) or <c>1</c>. In CI a missing
    /// or changed snapshot always fails, whatever <see cref="AcceptVariable"/> says.
    /// </summary>
    public const string CiVariable = "CI";

    private readonly List<SnapshotScrubber> _scrubbers = [];
    private Func<string, string?> _environmentReader = Environment.GetEnvironmentVariable;

    /// <summary>
    /// Gets or sets a value indicating whether the built-in scrubbers
    /// (<see cref="SnapshotScrubber.Timestamps"/> and <see cref="SnapshotScrubber.Guids"/>) run after the
    /// scrubbers added with <see cref="AddScrubber(SnapshotScrubber)"/>. Defaults to <see langword="true"/>.
    /// </summary>
    public bool UseBuiltInScrubbers { get; set; } = true;

    /// <summary>
    /// Gets or sets the function that reads an environment variable by name (returning
    /// <see langword="null"/> when it is not set). Defaults to
    /// <see cref="Environment.GetEnvironmentVariable(string)"/>; tests substitute a fake.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public Func<string, string?> EnvironmentReader
    {
        get => _environmentReader;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _environmentReader = value;
        }
    }

    /// <summary>Gets the scrubbers added by the caller, in the order they were added.</summary>
    public IReadOnlyList<SnapshotScrubber> Scrubbers => _scrubbers;

    /// <summary>
    /// Gets a value indicating whether <see cref="EnvironmentReader"/> reports a CI run
    /// (<see cref="CiVariable"/> is <c>true</c>, in any case, or <c>1</c>).
    /// </summary>
    public bool IsContinuousIntegration => IsSet(EnvironmentReader(CiVariable));

    /// <summary>
    /// Gets a value indicating whether <see cref="EnvironmentReader"/> asks for auto-accept
    /// (<see cref="AcceptVariable"/> is <c>1</c> or <c>true</c>, in any case).
    /// </summary>
    public bool IsAutoAcceptRequested => IsSet(EnvironmentReader(AcceptVariable));

    /// <summary>
    /// Gets a value indicating whether a missing or changed snapshot is accepted instead of failing:
    /// auto-accept is requested and the run is not in CI.
    /// </summary>
    public bool ShouldAutoAccept => IsAutoAcceptRequested && !IsContinuousIntegration;

    /// <summary>
    /// Adds a scrubber that replaces every match of <paramref name="pattern"/> with
    /// <c>{<paramref name="tokenName"/>_N}</c>, e.g. <c>AddScrubber(new Regex(@"id=\d+"), "Id")</c> turns
    /// <c>id=42</c> into <c>{Id_1}</c>.
    /// </summary>
    /// <param name="pattern">The text to scrub.</param>
    /// <param name="tokenName">The token name: ASCII letters, digits and underscores only.</param>
    /// <returns>This instance, for chaining.</returns>
    public SnapshotOptions AddScrubber(Regex pattern, string tokenName) =>
        AddScrubber(new SnapshotScrubber(pattern, tokenName));

    /// <summary>Adds a scrubber. Scrubbers added earlier win ties over later ones and over the built-ins.</summary>
    /// <param name="scrubber">The scrubber to add.</param>
    /// <returns>This instance, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scrubber"/> is <see langword="null"/>.</exception>
    public SnapshotOptions AddScrubber(SnapshotScrubber scrubber)
    {
        ArgumentNullException.ThrowIfNull(scrubber);
        _scrubbers.Add(scrubber);
        return this;
    }

    /// <summary>
    /// Replaces the matches of every active scrubber with numbered tokens. Numbering starts afresh on
    /// every call.
    /// </summary>
    /// <param name="text">The text to scrub.</param>
    /// <returns>The scrubbed text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SnapshotScrubbing.Apply(text, GetActiveScrubbers());
    }

    private List<SnapshotScrubber> GetActiveScrubbers()
    {
        var active = new List<SnapshotScrubber>(_scrubbers);
        if (UseBuiltInScrubbers)
        {
            active.Add(SnapshotScrubber.Timestamps);
            active.Add(SnapshotScrubber.Guids);
        }

        return active;
    }

    private static bool IsSet(string? value)
    {
        string trimmed = value?.Trim() ?? string.Empty;
        return trimmed == "1" || string.Equals(trimmed, "true", StringComparison.OrdinalIgnoreCase);
    }
}
