// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using Controller.Wire;

namespace Controller.Target.Scsi;

/// <summary>
/// One copy-management command's line in the audit trail (docs/controllerd.md, "Audit log"), written when it is
/// answered: accepted or refused, by whom, through which port and command device, naming which volumes. Key=value
/// words on one line, so a grep or a log shipper reads it without a parser of its own.
/// </summary>
internal sealed class CopyManagementAudit
{
    private readonly Action<string>? _sink;
    private readonly DateTimeOffset _received;
    private readonly long _start;
    private readonly string _who;
    private string _command;
    private string _volumes = "-";

    public CopyManagementAudit(TargetOptions options, ScsiExchange exchange, string command)
    {
        _sink = options.AuditLog;
        _received = DateTimeOffset.UtcNow;
        _start = System.Diagnostics.Stopwatch.GetTimestamp();
        _command = command;
        _who = "initiator=0x" + exchange.InitiatorId.ToString("X6", CultureInfo.InvariantCulture)
            + " port=0x" + exchange.TargetId.ToString("X6", CultureInfo.InvariantCulture)
            + " lun=0x" + exchange.Lun.ToString("X4", CultureInfo.InvariantCulture)
            + " ox_id=0x" + exchange.OriginatorExchangeId.ToString("X4", CultureInfo.InvariantCulture);
    }

    /// <summary>Names the command more exactly once its parameters are read (e.g. with its mirror name).</summary>
    public void SetCommand(string command)
    {
        _command = command;
    }

    /// <summary>Sets the volumes the command names, as P>S pairs separated by commas (or a mirror name).</summary>
    public void SetVolumes(string volumes)
    {
        _volumes = volumes.Length == 0 ? "-" : volumes;
    }

    public void Accepted(string detail = "")
    {
        Write("GOOD" + (detail.Length == 0 ? string.Empty : " " + detail));
    }

    public void Refused(SenseData sense, string reason)
    {
        Write("CHECK-CONDITION " + sense + " " + reason);
    }

    private void Write(string result)
    {
        if (_sink is null)
        {
            return;
        }

        double milliseconds = System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
        StringBuilder line = new(256);
        line.Append("audit time=").Append(_received.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(' ').Append(_who)
            .Append(" command=\"").Append(_command).Append('"')
            .Append(" volumes=").Append(_volumes)
            .Append(" ms=").Append(milliseconds.ToString("F1", CultureInfo.InvariantCulture))
            .Append(" result=\"").Append(result.Replace('"', '\'')).Append('"');
        _sink(line.ToString());
    }
}
