// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Daemon.Configuration;

namespace Controller.Daemon.Tests.Configuration;

/// <summary>Every refusal: the exact "file:line: reason" of each kind of error.</summary>
public sealed partial class ControllerConfigParserTests
{
    // Each case: the lines that follow TwoLdevsOnOnePort (so the first of them is line 6), the line the error
    // names and the reason.
    private static readonly TestCaseData[] Refusals =
    [
        // Keywords and argument counts.
        Refusal("unknown keyword", "volume 00:01", 6, "unknown keyword 'volume'; expected one of listen, track-size, mps, queue-depth, store, ldev, port, lun, host-group, pair, serial, remote-copy-peer, remote-copy-path, copy-rate, max-connections, send-queue-limit, send-queue-total, login-timeout, frame-timeout, send-timeout, idle-timeout, audit-log"),
        Refusal("keyword not lower case", "LDEV 00:03 size 1MiB", 6, "unknown keyword 'LDEV'; keywords are lower case: 'ldev'"),
        Refusal("missing argument", "ldev 00:03 size", 6, "'ldev' is missing arguments; expected: ldev CU:LDEV size SIZE [command-device]"),
        Refusal("extra argument", "port 0x421014 0x0001", 6, "expected 'open' or nothing after the port ID, not '0x0001'; expected: port PORT-ID [open]"),
        Refusal("extra argument after a comment-free line", "lun 0x400104 0x0003 00:01 00:02", 6, "'lun' has an extra argument '00:02'; expected: lun PORT-ID LUN CU:LDEV"),
        Refusal("missing listen address", "listen", 6, "'listen' is missing arguments; expected: listen ADDRESS:PORT"),
        Refusal("store without a kind", "store", 6, "'store' is missing arguments; expected: store ram | store file DIRECTORY [write-through | write-back]"),
        Refusal("store file without a directory", "store file", 6, "'store' is missing arguments; expected: store ram | store file DIRECTORY [write-through | write-back]"),
        Refusal("store ram with a directory", "store ram /tmp", 6, "'store' has an extra argument '/tmp'; expected: store ram | store file DIRECTORY [write-through | write-back]"),
        Refusal("unknown store kind", "store disk", 6, "'store' takes 'ram' or 'file DIRECTORY', not 'disk'"),
        Refusal("empty store directory", "store file \"\"", 6, "the store directory is empty"),
        Refusal("unknown store write policy", "store file /srv/ctl write-around", 6, "store write policy 'write-around' is not 'write-through' or 'write-back'"),
        Refusal("store write policy not lower case", "store file /srv/ctl Write-Back", 6, "store write policy 'Write-Back' is not 'write-through' or 'write-back'; policies are lower case"),
        Refusal("store write policy with an extra word", "store file /srv/ctl write-back now", 6, "'store' has an extra argument 'now'; expected: store ram | store file DIRECTORY [write-through | write-back]"),
        Refusal("store ram with a write policy", "store ram write-back", 6, "'store' has an extra argument 'write-back'; expected: store ram | store file DIRECTORY [write-through | write-back]"),
        Refusal("ldev without the word size", "ldev 00:03 length 1MiB", 6, "expected the word 'size' after the LDEV ID, not 'length'; expected: ldev CU:LDEV size SIZE [command-device]"),
        Refusal("unclosed quote", "store file \"/srv/ctl", 6, "the quote at column 12 is never closed"),
        Refusal("quote inside a word", "store file /srv/\"ctl\"", 6, "the quote at column 17 is inside a word; quotes may only surround a whole word"),

        // Numbers.
        Refusal("size with a decimal point", "ldev 00:03 size 1.5GiB", 6, "LDEV size '1.5GiB' must be a whole number of bytes with an optional KiB, MiB, GiB or TiB suffix, e.g. 64MiB"),
        Refusal("size with an SI suffix", "ldev 00:03 size 1GB", 6, "LDEV size '1GB' must be a whole number of bytes with an optional KiB, MiB, GiB or TiB suffix, e.g. 64MiB"),
        Refusal("size with a lower-case suffix", "ldev 00:03 size 1mib", 6, "LDEV size '1mib' must be a whole number of bytes with an optional KiB, MiB, GiB or TiB suffix, e.g. 64MiB"),
        Refusal("negative size", "ldev 00:03 size -1MiB", 6, "LDEV size '-1MiB' must be a whole number of bytes with an optional KiB, MiB, GiB or TiB suffix, e.g. 64MiB"),
        Refusal("size beyond 64 bits", "ldev 00:03 size 8388608TiB", 6, "LDEV size '8388608TiB' is too large"),
        Refusal("size beyond the largest LDEV", "ldev 00:03 size 131073TiB", 6, "LDEV 00:03 size 131073TiB is over the largest LDEV, 2^48 blocks (128 PiB)"),
        Refusal("size not a multiple of 512", "ldev 00:03 size 1000", 6, "LDEV 00:03 size 1000 (1000 bytes) is not a multiple of 512 bytes, the block size"),
        Refusal("size zero", "ldev 00:03 size 0", 6, "LDEV 00:03 size must be more than 0 bytes"),
        Refusal("bad LDEV ID", "ldev 0:3 size 1MiB", 6, "LDEV ID '0:3' must be CU:LDEV, two hex digits on each side of the colon, e.g. 00:2A"),
        Refusal("LDEV ID with a non-hex digit", "lun 0x400104 0x0003 00:0G", 6, "LDEV ID '00:0G' has a character that is not a hex digit"),
        Refusal("MP count not a number", "mps two", 6, "MP count 'two' is not a whole number"),
        Refusal("MP count zero", "mps 0", 6, "MP count must be 1 to 256, not 0"),
        Refusal("MP count too large", "mps 100000000000", 6, "MP count must be 1 to 256, not 100000000000"),
        Refusal("queue depth not a power of two", "queue-depth 100", 6, "queue depth must be a power of two, not 100"),
        Refusal("queue depth too small", "queue-depth 2", 6, "queue depth must be 4 to 1048576, not 2"),
        Refusal("copy rate zero", "copy-rate 0", 6, "copy rate 0 would never copy; leave the line out for no limit"),
        Refusal("copy rate given twice", "copy-rate 1MiB\ncopy-rate 1MiB", 7, "'copy-rate' is given twice (first on line 6)"),
        Refusal("unsupported track size", "track-size 32KiB", 6, "track size 32KiB (32768 bytes) is not supported; use 48KiB, 64KiB or 256KiB"),
        Refusal("track size beyond 32 bits", "track-size 4TiB", 6, "track size 4TiB (4398046511104 bytes) is not supported; use 48KiB, 64KiB or 256KiB"),
        Refusal("port ID over 24 bits", "port 0x1000000", 6, "port ID '0x1000000' is over 24 bits; the largest is 0xFFFFFF"),
        Refusal("port ID over 24 bits in a lun line", "lun 0x4001040 0x0003 00:01", 6, "port ID '0x4001040' is over 24 bits; the largest is 0xFFFFFF"),
        Refusal("initiator over 24 bits", "host-group h 0x400104 initiators 0x1010200 luns 0x0001", 6, "initiator port ID '0x1010200' is over 24 bits; the largest is 0xFFFFFF"),
        Refusal("pair volume port ID over 24 bits", "pair 0x4001040,0x0001 0x400104,0x0002", 6, "pair P-VOL: volume address '0x4001040,0x0001': port ID '0x4001040' is over 24 bits; the largest is 0xFFFFFF"),
        Refusal("port ID without 0x", "port 421014", 6, "port ID '421014' must start with 0x"),
        Refusal("port ID too short", "port 0x4210", 6, "port ID '0x4210' must have exactly 6 hex digits after 0x, not 4"),
        Refusal("bad LUN", "lun 0x400104 0x1 00:01", 6, "LUN '0x1' must have exactly 4 hex digits after 0x, not 1"),
        Refusal("pair volume without a LUN", "pair 0x400104 0x400104,0x0002", 6, "pair P-VOL: volume address '0x400104' must be a port ID and a LUN separated by one ',' or '/', e.g. 0x400104,0x0001"),
        Refusal("pair with one volume", "pair 0x400104,0x0001", 6, "'pair' is missing arguments; expected: pair PVOL-PORT-ID,LUN SVOL-PORT-ID,LUN"),
        Refusal("pair with three volumes", "pair 0x400104,0x0001 0x400104,0x0002 0x400104,0x0003", 6, "'pair' has an extra argument '0x400104,0x0003'; expected: pair PVOL-PORT-ID,LUN SVOL-PORT-ID,LUN"),
        Refusal("listen host name", "listen localhost:3225", 6, "listen address 'localhost:3225': 'localhost' is not an IPv4 address; write an IP address, not a host name, e.g. 127.0.0.1:3225 or [::1]:3225"),
        Refusal("listen short IPv4", "listen 127.1:3225", 6, "listen address '127.1:3225': '127.1' is not an IPv4 address; write an IP address, not a host name, e.g. 127.0.0.1:3225 or [::1]:3225"),
        Refusal("listen without a port", "listen 127.0.0.1", 6, "listen address '127.0.0.1' must be IPv4-ADDRESS:PORT or [IPv6-ADDRESS]:PORT, e.g. 127.0.0.1:3225 or [::1]:3225"),
        Refusal("listen IPv6 without brackets", "listen ::1:3225", 6, "listen address '::1:3225' must be IPv4-ADDRESS:PORT or [IPv6-ADDRESS]:PORT, e.g. 127.0.0.1:3225 or [::1]:3225"),
        Refusal("listen IPv4 in brackets", "listen [127.0.0.1]:3225", 6, "listen address '[127.0.0.1]:3225': '127.0.0.1' is not an IPv6 address; write an IP address, not a host name, e.g. 127.0.0.1:3225 or [::1]:3225"),
        Refusal("listen port too large", "listen 127.0.0.1:65536", 6, "listen address '127.0.0.1:65536': port '65536' must be a number from 0 to 65535"),
        Refusal("listen port not a number", "listen 127.0.0.1:fcip", 6, "listen address '127.0.0.1:fcip': port 'fcip' must be a number from 0 to 65535"),

        // Host groups.
        Refusal("host group without initiators keyword", "host-group h 0x400104 hosts 0x010200 luns 0x0001", 6, "expected the word 'initiators' after the port ID, not 'hosts'; expected: host-group NAME PORT-ID initiators PORT-ID... luns LUN... [manages PORT-ID,LUN...]"),
        Refusal("host group without luns", "host-group h 0x400104 initiators 0x010200", 6, "host group 'h' has no 'luns' list; expected: host-group NAME PORT-ID initiators PORT-ID... luns LUN... [manages PORT-ID,LUN...]"),
        Refusal("host group with no initiators", "host-group h 0x400104 initiators luns 0x0001", 6, "host group 'h' lists no initiators; expected: host-group NAME PORT-ID initiators PORT-ID... luns LUN... [manages PORT-ID,LUN...]"),
        Refusal("host group with no LUNs", "host-group h 0x400104 initiators 0x010200 luns", 6, "host group 'h' lists no LUNs; expected: host-group NAME PORT-ID initiators PORT-ID... luns LUN... [manages PORT-ID,LUN...]"),
        Refusal("host group name like a port ID", "host-group 0x400104 0x400104 initiators 0x010200 luns 0x0001", 6, "host group name '0x400104' must be 1 to 64 letters, digits, '-', '_' or '.', and not start with 0x or be 'initiators' or 'luns'"),
        Refusal("host group name with a bad character", "host-group prod:1 0x400104 initiators 0x010200 luns 0x0001", 6, "host group name 'prod:1' must be 1 to 64 letters, digits, '-', '_' or '.', and not start with 0x or be 'initiators' or 'luns'"),
        Refusal("initiator listed twice in a group", "host-group h 0x400104 initiators 0x010200 0x010200 luns 0x0001", 6, "initiator 0x010200 is listed twice in host group 'h'"),
        Refusal("LUN listed twice in a group", "host-group h 0x400104 initiators 0x010200 luns 0x0001 0x0001", 6, "LUN 0x0001 is listed twice in host group 'h'"),

        // Duplicates.
        Refusal("duplicate ldev", "ldev 00:01 size 2MiB", 6, "LDEV 00:01 is declared twice (first on line 1)"),
        Refusal("duplicate port", "port 0x400104", 6, "port 0x400104 is declared twice (first on line 3)"),
        Refusal("duplicate LUN on a port", "lun 0x400104 0x0001 00:02", 6, "LUN 0x0001 on port 0x400104 is mapped twice (first on line 4)"),
        Refusal("duplicate host group name on a port", "host-group h 0x400104 initiators 0x010200 luns 0x0001\nhost-group h 0x400104 initiators 0x010300 luns 0x0002", 7, "host group 'h' on port 0x400104 is declared twice (first on line 6)"),
        Refusal("initiator in two groups of a port", "host-group a 0x400104 initiators 0x010200 luns 0x0001\nhost-group b 0x400104 initiators 0x010300 0x010200 luns 0x0002", 7, "initiator 0x010200 is already in host group 'a' of port 0x400104 (line 6); an initiator belongs to one host group per port"),
        Refusal("listen given twice", "listen 127.0.0.1:3225\nlisten 127.0.0.1:3226", 7, "'listen' is given twice (first on line 6)"),
        Refusal("track size given twice", "track-size 64KiB\n\ntrack-size 64KiB", 8, "'track-size' is given twice (first on line 6)"),
        Refusal("mps given twice", "mps 2\nmps 4", 7, "'mps' is given twice (first on line 6)"),
        Refusal("queue depth given twice", "queue-depth 64\nqueue-depth 64", 7, "'queue-depth' is given twice (first on line 6)"),
        Refusal("store given twice", "store ram\nstore file /tmp/x", 7, "'store' is given twice (first on line 6)"),
        Refusal("duplicate pair", "pair 0x400104,0x0001 0x400104,0x0002\npair 0x400104, 0x0001 0x400104/0x0002", 7, "pair 0x400104, 0x0001 -> 0x400104, 0x0002 is declared twice (first on line 6)"),

        // References.
        Refusal("lun on an undeclared port", "lun 0x421014 0x0001 00:01", 6, "lun 0x0001 refers to port 0x421014, which no 'port' line declares"),
        Refusal("lun to an undeclared LDEV", "lun 0x400104 0x0003 00:07", 6, "lun 0x0003 on port 0x400104 refers to LDEV 00:07, which no 'ldev' line declares"),
        Refusal("host group on an undeclared port", "host-group h 0x421014 initiators 0x010200 luns 0x0001", 6, "host group 'h' refers to port 0x421014, which no 'port' line declares"),
        Refusal("host group LUN not mapped on its port", "host-group prod 0x400104 initiators 0x010200 luns 0x0001 0x0009", 6, "host group 'prod' on port 0x400104 lists LUN 0x0009, which no 'lun' line maps on that port"),
        Refusal("host group LUN mapped on another port only", "port 0x421014 open\nlun 0x421014 0x0003 00:01\nhost-group h 0x400104 initiators 0x010200 luns 0x0003", 8, "host group 'h' on port 0x400104 lists LUN 0x0003, which no 'lun' line maps on that port"),
        Refusal("pair P-VOL not mapped", "pair 0x400104,0x0009 0x400104,0x0002", 6, "pair P-VOL 0x400104, 0x0009 is not mapped: no 'lun' line maps LUN 0x0009 on port 0x400104"),
        Refusal("pair S-VOL not mapped", "pair 0x400104,0x0001 0x400104,0x0009", 6, "pair S-VOL 0x400104, 0x0009 is not mapped: no 'lun' line maps LUN 0x0009 on port 0x400104"),
        Refusal("pair S-VOL on an undeclared port", "pair 0x400104,0x0001 0x421014,0x0001", 6, "pair S-VOL 0x421014, 0x0001 refers to port 0x421014, which no 'port' line declares"),
        Refusal("pair P-VOL equal to S-VOL", "pair 0x400104,0x0001 0x400104, 0x0001", 6, "pair P-VOL and S-VOL are the same volume 0x400104, 0x0001; a volume cannot mirror itself"),
        Refusal("pair of two LUNs of one LDEV", "lun 0x400104 0x0003 00:01\npair 0x400104,0x0001 0x400104,0x0003", 7, "pair P-VOL 0x400104, 0x0001 and S-VOL 0x400104, 0x0003 are both LDEV 00:01; a volume cannot mirror itself"),

        // Security (issue #19): every port secured or open on purpose, command devices out of pairs.
        Refusal("a port with no host group that is not declared open", "port 0x421014\nlun 0x421014 0x0001 00:01", 6, "port 0x421014 has no host group, so every initiator would see every LUN of it: add 'host-group' lines for it, or write 'port 0x421014 open' to allow that on purpose"),
        Refusal("an open port with a host group", "host-group h 0x400104 initiators 0x010200 luns 0x0001", 6, "host group 'h' is on port 0x400104, which line 3 declares 'open' (no host groups); remove 'open' to secure the port with its host groups"),
        Refusal("a word after the port ID that is not open", "port 0x421014 closed", 6, "expected 'open' or nothing after the port ID, not 'closed'; expected: port PORT-ID [open]"),
        Refusal("a word after the LDEV size that is not command-device", "ldev 00:03 size 1MiB cmd", 6, "expected 'command-device' or nothing after the LDEV size, not 'cmd'; expected: ldev CU:LDEV size SIZE [command-device]"),
        Refusal("a command device in a pair", "ldev 00:03 size 1MiB command-device\nlun 0x400104 0x0003 00:03\npair 0x400104,0x0001 0x400104,0x0003", 8, "pair volume 0x400104, 0x0003 is LDEV 00:03, a command device (line 6); a command device is never a pair volume"),
        Refusal("manages with no volume", "port 0x421014\nlun 0x421014 0x0001 00:01\nhost-group h 0x421014 initiators 0x010200 luns 0x0001 manages", 8, "host group 'h' has 'manages' with no volume; expected: host-group NAME PORT-ID initiators PORT-ID... luns LUN... [manages PORT-ID,LUN...]"),
        Refusal("a volume twice in manages", "port 0x421014\nlun 0x421014 0x0001 00:01\nhost-group h 0x421014 initiators 0x010200 luns 0x0001 manages 0x421014,0x0001 0x421014,0x0001", 8, "volume 0x421014, 0x0001 is listed twice in the 'manages' list of host group 'h'"),
        Refusal("audit-log given twice", "audit-log a.log\naudit-log b.log", 7, "'audit-log' is given twice (first on line 6)"),

        Refusal("a remote-copy peer without a key", "remote-copy-peer 0x400200", 6, "'remote-copy-peer' needs the peer's key, which it proves it holds before its remote-copy commands are taken; expected: remote-copy-peer INITIATOR-PORT-ID key FILE [from ADDRESS]"),
        Refusal("a remote-copy path without a key", "remote-copy-path 0x400200 to 127.0.0.1:3226 ports 0x421014", 6, "'remote-copy-path' needs 'key FILE' at its end: the key the secondary's 'remote-copy-peer' line has; expected: remote-copy-path INITIATOR-PORT-ID to ADDRESS:PORT ports PORT-ID... key FILE"),
        Refusal("a remote-copy peer with a word that is not key", "remote-copy-peer 0x400200 secret s.key", 6, "expected 'key FILE' after the peer's initiator port ID, not 'secret'; expected: remote-copy-peer INITIATOR-PORT-ID key FILE [from ADDRESS]"),

        // Which error is reported.
        Refusal("the lowest reference error wins across kinds", "pair 0x400104,0x0001 0x400104,0x0009\nlun 0x400104 0x0003 00:07", 6, "pair S-VOL 0x400104, 0x0009 is not mapped: no 'lun' line maps LUN 0x0009 on port 0x400104"),
        Refusal("a syntax error is found before any reference is resolved", "lun 0x400104 0x0003 00:07\nmps 0", 7, "MP count must be 1 to 256, not 0"),
    ];

    [TestCaseSource(nameof(Refusals))]
    public void EachKindOfErrorIsRefusedNamingTheFileTheLineAndTheReason(string lines, int line, string reason)
    {
        ConfigException? ex = Assert.Throws<ConfigException>(() => Parse(TwoLdevsOnOnePort + lines), "the configuration is refused");
        Assert.That(ex!.Message, Is.EqualTo(FileName + ":" + line + ": " + reason), "the message is file:line: reason");
        Assert.That(ex.File, Is.EqualTo(FileName), "File");
        Assert.That(ex.Line, Is.EqualTo(line), "Line");
        Assert.That(ex.Reason, Is.EqualTo(reason), "Reason");
    }

    [Test]
    public void TheBaseOfTheErrorCasesIsItselfValid()
    {
        // Otherwise every refusal above could be refusing lines 1-5 instead of the line under test.
        Assert.That(Parse(TwoLdevsOnOnePort).Ports[0].Luns, Has.Count.EqualTo(2), "lines 1-5 parse");
    }

    private static TestCaseData Refusal(string what, string lines, int line, string reason)
    {
        return new TestCaseData(lines, line, reason).SetArgDisplayNames(what);
    }
}
