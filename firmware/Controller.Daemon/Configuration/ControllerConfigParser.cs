// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;

namespace Controller.Daemon.Configuration;

/// <summary>
/// Reads a controllerd configuration file (docs/controllerd.md) into a checked <see cref="ControllerConfig"/>,
/// or refuses it with a <see cref="ConfigException"/> naming the file, the line and the reason.
/// </summary>
/// <remarks>
/// One pass reads every line, checking its syntax and duplicates as it goes; references between lines (a LUN
/// to its port and LDEV, a host group to its LUNs, a pair to its volumes) are resolved after the last line, so
/// a line may refer to something declared further down. The first error is reported: the first syntax error if
/// there is one, else the reference error on the lowest line. The lines are the declarations' (this type's
/// partials: volumes and ports, security, references); a settings line goes to <see cref="ConfigSettingsParser"/>,
/// a remote-copy line to <see cref="RemoteCopyConfigParser"/>, and all of them check their words through the shared <see cref="ConfigStatement"/>.
/// </remarks>
internal sealed partial class ControllerConfigParser
{
    private static readonly string[] Keywords = ["listen", "track-size", "mps", "queue-depth", "store", "ldev", "port", "lun", "host-group", "pair", "serial", "remote-copy-peer", "remote-copy-path", "copy-rate", "max-connections", "send-queue-limit", "send-queue-total", "login-timeout", "frame-timeout", "send-timeout", "idle-timeout", "audit-log"];

    private readonly string _fileName;
    private readonly string _baseDirectory;
    private readonly ConfigStatement _statement;
    private readonly List<string> _words;
    private readonly ConfigSettingsParser _settings;
    private readonly RemoteCopyConfigParser _remoteCopy;

    private ControllerConfigParser(string fileName, string baseDirectory)
    {
        _fileName = fileName;
        _baseDirectory = baseDirectory;
        _statement = new ConfigStatement(fileName);
        _words = _statement.Words;
        _settings = new ConfigSettingsParser(_statement, baseDirectory);
        _remoteCopy = new RemoteCopyConfigParser(_statement, baseDirectory, _portLines);
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
                _remoteCopy.ParseSerial(line);
                break;
            case "remote-copy-peer":
                _remoteCopy.ParseRemoteCopyPeer(line);
                break;
            case "audit-log":
                ParseAuditLog(line);
                break;
            case "remote-copy-path":
                _remoteCopy.ParseRemoteCopyPath(line);
                break;
            default:
                if (!_settings.TryParse(line))
                {
                    FailUnknownKeyword(line, _words[0]);
                }

                break;
        }
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
    private void FailMissing(int line, string usage)
    {
        _statement.FailMissing(line, usage);
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
        _statement.Fail(line, reason);
    }
}
