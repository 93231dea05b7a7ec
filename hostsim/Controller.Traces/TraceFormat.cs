// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces;

/// <summary>The public block-trace formats <c>hostsim import</c> reads (tests/data/traces/SOURCES.md).</summary>
public enum TraceFormat
{
    /// <summary>fio iolog, version 2 or 3 (the header line says which).</summary>
    FioIolog,

    /// <summary>DiskSim ASCII as MQSim uses it: <c>arrival_time_ns devno start_sector size_sectors type</c> (type 0 write, 1 read).</summary>
    DiskSim,

    /// <summary>CloudPhysics vSCSI CSV: header <c>version,time,op,size,lbn</c>; time in seconds, op a SCSI opcode in hex.</summary>
    CloudPhysicsCsv,

    /// <summary>CloudPhysics vSCSI binary, version 1: 32-byte little-endian records.</summary>
    CloudPhysicsBinary,

    /// <summary>SNIA MSR Cambridge CSV: <c>Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime</c>, Timestamp in FILETIME ticks.</summary>
    MsrCambridge,

    /// <summary>blkparse default text output (blkparse(1), DEFAULT OUTPUT); the D (issued) events are the I/Os.</summary>
    Blkparse,

    /// <summary>Alibaba block traces 2020 CSV: <c>device_id,opcode,offset,length,timestamp_us</c>.</summary>
    Alibaba,
}
