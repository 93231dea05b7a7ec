// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;
using System.Net;
using Controller.Firmware;
using Controller.Firmware.Media;

namespace Controller.Daemon.Configuration;

/// <summary>
/// Reads a controllerd configuration file (docs/controllerd.md) into a checked <see cref="ControllerConfig"/>,
/// or refuses it with a <see cref="ConfigException"/> naming the file, the line and the reason.
/// </summary>
/// <remarks>
/// One pass reads every line, checking its syntax and duplicates as it goes; references between lines (a LUN
/// to its port and LDEV, a host group to its LUNs, a pair to its volumes) are resolved after the last line, so
/// a line may refer to something declared further down. The first error is reported: the first syntax error if
/// there is one, else the reference error on the lowest line.
/// </remarks>
internal sealed partial class ControllerConfigParser
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

    private static readonly string[] Keywords = ["listen", "track-size", "mps", "queue-depth", "store", "ldev", "port", "lun", "host-group", "pair", "serial", "remote-copy-peer", "remote-copy-path", "copy-rate", "max-connections", "send-queue-limit", "send-queue-total", "login-timeout", "frame-timeout", "send-timeout", "idle-timeout", "audit-log"];

    private readonly string _fileName;
    private readonly string _baseDirectory;
    private readonly List<string> _words = [];

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

    private ControllerConfigParser(string fileName, string baseDirectory)
    {
        _fileName = fileName;
        _baseDirectory = baseDirectory;
        // The core's own defaults, so that "not given" here means the same as "not given" to StorageSubsystem.
        SubsystemOptions defaults = new();
        _mpCount = defaults.MpCount;
        _queueDepth = defaults.QueueDepth;
    }

    /// <summary>Reads and checks a configuration file.</summary>
    /// <param name="path">The file; a relative store directory in it is taken relative to the file's directory.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigException">The file cannot be read (line 0, the OS reason), or a line is wrong.</exception>
    public static ControllerConfig ParseFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        StreamReader reader;
        try
        {
            reader = new StreamReader(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigException(path, 0, "cannot read the configuration file: " + ex.Message, ex);
        }

        using (reader)
        {
            return Parse(reader, path);
        }
    }

    /// <summary>Reads and checks a configuration.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="fileName">The name errors give for it; a relative store directory is taken relative to its directory.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigException">A line is wrong, or the text cannot be read.</exception>
    public static ControllerConfig Parse(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ControllerConfigParser parser = new(fileName, Path.GetDirectoryName(Path.GetFullPath(fileName)) ?? Directory.GetCurrentDirectory());
        int lineNumber = 0;
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (IOException ex)
            {
                throw new ConfigException(fileName, 0, "cannot read the configuration file after line " + lineNumber + ": " + ex.Message, ex);
            }

            if (line is null)
            {
                break;
            }

            lineNumber++;
            parser.ParseLine(line, lineNumber);
        }

        return parser.Finish();
    }

    private void ParseLine(string text, int line)
    {
        if (!ConfigLexer.TryTokenize(text, _words, out string? error))
        {
            Fail(line, error);
        }

        if (_words.Count == 0)
        {
            return;
        }

        switch (_words[0])
        {
            case "listen":
                ParseListen(line);
                break;
            case "track-size":
                ParseTrackSize(line);
                break;
            case "mps":
                ParseMps(line);
                break;
            case "queue-depth":
                ParseQueueDepth(line);
                break;
            case "store":
                ParseStore(line);
                break;
            case "copy-rate":
                ParseCopyRate(line);
                break;
            case "ldev":
                ParseLdev(line);
                break;
            case "port":
                ParsePort(line);
                break;
            case "lun":
                ParseLun(line);
                break;
            case "host-group":
                ParseHostGroup(line);
                break;
            case "pair":
                ParsePair(line);
                break;
            case "serial":
                ParseSerial(line);
                break;
            case "remote-copy-peer":
                ParseRemoteCopyPeer(line);
                break;
            case "audit-log":
                ParseAuditLog(line);
                break;
            case "remote-copy-path":
                ParseRemoteCopyPath(line);
                break;
            default:
                if (!TryParseLimit(line))
                {
                    FailUnknownKeyword(line, _words[0]);
                }

                break;
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
            FailMissing(line, StoreUsage);
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
        if (_words.Count < count)
        {
            FailMissing(line, usage);
        }

        if (_words.Count > count)
        {
            Fail(line, "'" + _words[0] + "' has an extra argument '" + _words[count] + "'; expected: " + usage);
        }
    }

    // Settings take one value; a second line for the same setting is more likely a mistake (two halves of an
    // edit) than an intended override, so it is refused instead of letting the last one win.
    private void SetOnce(int line, ref int firstLine)
    {
        if (firstLine != 0)
        {
            Fail(line, "'" + _words[0] + "' is given twice (first on line " + firstLine + ")");
        }

        firstLine = line;
    }

    [DoesNotReturn]
    private void FailMissing(int line, string usage)
    {
        Fail(line, "'" + _words[0] + "' is missing arguments; expected: " + usage);
    }

    [DoesNotReturn]
    private void FailUnknownKeyword(int line, string word)
    {
        string lower = word.ToLowerInvariant();
        foreach (string keyword in Keywords)
        {
            if (string.Equals(keyword, lower, StringComparison.Ordinal))
            {
                Fail(line, "unknown keyword '" + word + "'; keywords are lower case: '" + keyword + "'");
            }
        }

        Fail(line, "unknown keyword '" + word + "'; expected one of " + string.Join(", ", Keywords));
    }

    [DoesNotReturn]
    private void Fail(int line, string? reason)
    {
        throw new ConfigException(_fileName, line, reason ?? "invalid line");
    }
}
