// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;
using System.Net;
using Controller.Firmware;
using Controller.Firmware.Media;
using Controller.Target;

namespace Controller.Daemon.Configuration;

/// <summary>
/// The settings of a configuration file (docs/controllerd.md, "Settings"): <c>listen</c>, <c>track-size</c>,
/// <c>mps</c>, <c>queue-depth</c>, <c>store</c>, <c>copy-rate</c> and the bounded-resource settings
/// (<c>ConfigSettingsParser.Limits.cs</c>). Each may appear at most once; a setting not given keeps the core's default.
/// The declarations (LDEVs, ports, pairs, links) are <see cref="ControllerConfigParser"/>'s, which hands this parser
/// the lines it does not declare with.
/// </summary>
internal sealed partial class ConfigSettingsParser
{
    private const string ListenUsage = "listen ADDRESS:PORT";
    private const string TrackSizeUsage = "track-size SIZE";
    private const string MpsUsage = "mps COUNT";
    private const string QueueDepthUsage = "queue-depth DEPTH";
    private const string StoreUsage = "store ram | store file DIRECTORY [write-through | write-back]";
    private const string CopyRateUsage = "copy-rate SIZE";

    /// <summary>The most MPs a configuration may ask for: each has its own queue, so a typo must not allocate thousands.</summary>
    internal const int MaxMpCount = 256;

    /// <summary>The deepest per-MP queue a configuration may ask for (2^20 entries).</summary>
    internal const int MaxQueueDepth = 1 << 20;

    private readonly ConfigStatement _statement;
    private readonly List<string> _words;
    private readonly string _baseDirectory;

    private IPEndPoint _listen = ControllerConfig.DefaultListen;
    private int _listenLine;
    private int _trackSizeBytes = TrackGeometry.TrackSize64K;
    private int _trackSizeLine;
    private int _mpCount;
    private int _mpsLine;
    private int _queueDepth;
    private int _queueDepthLine;
    private StoreKind _store = StoreKind.Ram;
    private string? _storeDirectory;
    private WriteCachePolicy _storePolicy = WriteCachePolicy.VolatileMedium;
    private int _storeLine;
    private long _copyBytesPerSecond;
    private int _copyRateLine;

    /// <summary>Initializes the settings of one file, each at its default.</summary>
    /// <param name="statement">The line being read, shared with the declarations' parser.</param>
    /// <param name="baseDirectory">The configuration file's directory: a relative store directory is taken relative to it.</param>
    public ConfigSettingsParser(ConfigStatement statement, string baseDirectory)
    {
        _statement = statement;
        _words = statement.Words;
        _baseDirectory = baseDirectory;
        // The core's own defaults, so that "not given" here means the same as "not given" to StorageSubsystem.
        SubsystemOptions defaults = new();
        _mpCount = defaults.MpCount;
        _queueDepth = defaults.QueueDepth;
    }

    /// <summary>Gets the FCIP listener's address.</summary>
    public IPEndPoint Listen => _listen;

    /// <summary>Gets the track size in bytes.</summary>
    public int TrackSizeBytes => _trackSizeBytes;

    /// <summary>Gets the MP count.</summary>
    public int MpCount => _mpCount;

    /// <summary>Gets the queue depth per MP.</summary>
    public int QueueDepth => _queueDepth;

    /// <summary>Gets the store kind.</summary>
    public StoreKind Store => _store;

    /// <summary>Gets the file store's directory (absolute), or null for RAM.</summary>
    public string? StoreDirectory => _storeDirectory;

    /// <summary>Gets the store's write policy.</summary>
    public WriteCachePolicy StorePolicy => _storePolicy;

    /// <summary>Gets the <c>store</c> line, 0 when there is none.</summary>
    public int StoreLine => _storeLine;

    /// <summary>Gets the copy engine's rate limit per copy in bytes per second, 0 for none.</summary>
    public long CopyBytesPerSecond => _copyBytesPerSecond;

    /// <summary>Gets the bounds on what connections may hold.</summary>
    public ConnectionLimits Limits => _limits;

    /// <summary>Parses the line if it is a setting.</summary>
    /// <param name="line">The line number.</param>
    /// <returns>False when its keyword is not a setting's.</returns>
    public bool TryParse(int line)
    {
        switch (_words[0])
        {
            case "listen":
                ParseListen(line);
                return true;
            case "track-size":
                ParseTrackSize(line);
                return true;
            case "mps":
                ParseMps(line);
                return true;
            case "queue-depth":
                ParseQueueDepth(line);
                return true;
            case "store":
                ParseStore(line);
                return true;
            case "copy-rate":
                ParseCopyRate(line);
                return true;
            default:
                return TryParseLimit(line);
        }
    }

    private void ParseListen(int line)
    {
        ExpectWordCount(line, 2, ListenUsage);
        SetOnce(line, ref _listenLine);
        if (!ConfigValues.TryParseListen(_words[1], out _listen, out string? error))
        {
            Fail(line, error);
        }
    }

    private void ParseTrackSize(int line)
    {
        ExpectWordCount(line, 2, TrackSizeUsage);
        SetOnce(line, ref _trackSizeLine);
        if (!ConfigValues.TryParseSize(_words[1], "track size", out long bytes, out string? error))
        {
            Fail(line, error);
        }

        if (bytes > int.MaxValue || !TrackGeometry.IsSupportedTrackSize((int)bytes))
        {
            Fail(line, "track size " + _words[1] + " (" + bytes + " bytes) is not supported; use 48KiB, 64KiB or 256KiB");
        }

        _trackSizeBytes = (int)bytes;
    }

    private void ParseMps(int line)
    {
        ExpectWordCount(line, 2, MpsUsage);
        SetOnce(line, ref _mpsLine);
        if (!ConfigValues.TryParseCount(_words[1], "MP count", 1, MaxMpCount, out _mpCount, out string? error))
        {
            Fail(line, error);
        }
    }

    private void ParseQueueDepth(int line)
    {
        ExpectWordCount(line, 2, QueueDepthUsage);
        SetOnce(line, ref _queueDepthLine);
        if (!ConfigValues.TryParseCount(_words[1], "queue depth", 4, MaxQueueDepth, out _queueDepth, out string? error))
        {
            Fail(line, error);
        }

        if ((_queueDepth & (_queueDepth - 1)) != 0)
        {
            // The MP queue is a ring indexed by masking (MpscRing), so its depth is a power of two.
            Fail(line, "queue depth must be a power of two, not " + _queueDepth);
        }
    }

    // The copy engine's rate limit per copy (CopyPace.BytesPerSecond): host I/O keeps its share, and a pair stays in
    // COPY long enough to be seen there (a FIG 4 "copying in progress" cell driven against a daemon).
    private void ParseCopyRate(int line)
    {
        ExpectWordCount(line, 2, CopyRateUsage);
        SetOnce(line, ref _copyRateLine);
        if (!ConfigValues.TryParseSize(_words[1], "copy rate", out _copyBytesPerSecond, out string? error))
        {
            Fail(line, error);
        }

        if (_copyBytesPerSecond == 0)
        {
            Fail(line, "copy rate 0 would never copy; leave the line out for no limit");
        }
    }

    private void ParseStore(int line)
    {
        if (_words.Count < 2)
        {
            _statement.FailMissing(line, StoreUsage);
        }

        SetOnce(line, ref _storeLine);
        switch (_words[1])
        {
            case "ram":
                ExpectWordCount(line, 2, StoreUsage);
                _store = StoreKind.Ram;
                break;
            case "file":
                if (_words.Count == 3)
                {
                    // Write-through is the default: with no word about a cache, an acknowledged write is on stable
                    // storage (what MODE SENSE's WCE 0 then says). Write-back must be asked for by name.
                    _storePolicy = WriteCachePolicy.WriteThrough;
                }
                else
                {
                    ExpectWordCount(line, 4, StoreUsage);
                    _storePolicy = _words[3] switch
                    {
                        "write-through" => WriteCachePolicy.WriteThrough,
                        "write-back" => WriteCachePolicy.WriteBack,
                        _ => FailPolicy(line, _words[3]),
                    };
                }

                if (_words[2].Length == 0)
                {
                    Fail(line, "the store directory is empty");
                }

                try
                {
                    _storeDirectory = Path.GetFullPath(_words[2], _baseDirectory);
                }
                catch (ArgumentException ex)
                {
                    Fail(line, "store directory '" + _words[2] + "' is not a valid path: " + ex.Message);
                }

                _store = StoreKind.File;
                break;
            default:
                Fail(line, "'store' takes 'ram' or 'file DIRECTORY', not '" + _words[1] + "'");
                break;
        }
    }

    [DoesNotReturn]
    private WriteCachePolicy FailPolicy(int line, string word)
    {
        string lower = word.ToLowerInvariant();
        string hint = lower is "write-through" or "write-back" ? "; policies are lower case" : string.Empty;
        Fail(line, "store write policy '" + word + "' is not 'write-through' or 'write-back'" + hint);
        return default;
    }

    private void ExpectWordCount(int line, int count, string usage)
    {
        _statement.ExpectWordCount(line, count, usage);
    }

    private void SetOnce(int line, ref int firstLine)
    {
        _statement.SetOnce(line, ref firstLine);
    }

    [DoesNotReturn]
    private void Fail(int line, string? reason)
    {
        _statement.Fail(line, reason);
    }
}
