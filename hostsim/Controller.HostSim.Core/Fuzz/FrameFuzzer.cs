// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Wire;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// Makes the fuzz inputs: seeded and deterministic (the same seed and connection length give the same inputs,
/// byte for byte, whatever the target answers), so a failure replays from its seed and index. The mix, in
/// inputs per thousand:
/// <list type="table">
/// <item><term>80</term><description>ELS: PLOGI, PRLI (some asking first burst), LOGO, LS_ACC/LS_RJT sent to the target, unknown ELS commands; to the real ports and random D_IDs; some malformed (short, wrong page).</description></item>
/// <item><term>340</term><description>FCP_CMND with a SCSI CDB: every implemented opcode with fields right and wrong (READ/WRITE LBAs near and beyond the end, FCP_DL right or wrong, data direction right or wrong), unknown opcodes, and a few malformed FCP_CMND IUs.</description></item>
/// <item><term>120</term><description>FCP_CMND with a copy-management CDB: 60 % valid requests from <c>CopyManagementRequest</c>'s factories (pairs on ports 0x400104 and 0x421014 only, never the canary port), 25 % the same with the CDB or the parameter list garbled, 15 % random vendor CDBs.</description></item>
/// <item><term>140</term><description>FCP_DATA: mostly for an exchange the generator expects to wait for data (OX_IDs 0-255), 80 % continuing it correctly (the parameter list or write data), the rest at a wrong relative offset or too long; some for random exchanges.</description></item>
/// <item><term>40</term><description>random frames: random R_CTL, TYPE, F_CTL and header fields, random payload of 0-2,112 bytes.</description></item>
/// <item><term>180</term><description>mutated: a frame generated as above with 1-4 mutations (bit flips, bytes and words overwritten with boundary values, cut short, even below the 24-byte header, or extended).</description></item>
/// <item><term>100</term><description>FCIP bytes: a generated frame FCIP-encapsulated (with fill bytes), then in 80 % of them the encapsulated bytes mutated; they go through <c>FcipEncapsulation.TryRead</c>, and what decodes is handed on as the frame reader would.</description></item>
/// </list>
/// A generated SCSI or copy-management command to a port the generator believes the host is not logged in to
/// (after a LOGO or a fresh PLOGI) is replaced, three times in four, by the PLOGI or PRLI that is missing, so
/// most commands reach the command set; those count as ELS. Every connection starts with PLOGI and PRLI to both
/// fuzz ports (four ELS inputs). S_IDs are the fuzz host's, 6 % random; never the canary host's.
/// </summary>
public sealed partial class FrameFuzzer
{
    /// <summary>OX_IDs below this are the ones data frames aim at, so that they often find their exchange.</summary>
    public const int TrackedExchanges = 256;

    private const int LoginInputs = 4;

    // Inputs before a command's OX_ID is used again (see CommandExchangeId).
    private const int ReuseDelay = 256;

    // The mix in inputs per thousand, in the order of FuzzInputKind.
    private static readonly int[] s_mix = [80, 340, 120, 140, 40, 180, 100];

    // The ports whose login state the generator tracks: the two fuzz ports and the canary port.
    private static readonly int[] s_ports = [FuzzTopology.PortA, FuzzTopology.PortB, FuzzTopology.CanaryPort];

    private readonly FuzzDice _dice;
    private readonly ScsiCommandFrames _scsi;
    private readonly CopyManagementFrames _copyManagement;
    private readonly FrameMutator _mutator;
    private readonly int _inputsPerConnection;
    private readonly byte[] _scratch = new byte[FuzzInput.Capacity];

    // What the generator believes of the current connection (it never looks at the target's answers, so that
    // the inputs depend on the seed only): login state per tracked port (0 none, 1 PLOGI, 2 PRLI) and, per
    // tracked OX_ID, the data-out the command sent last is waiting for.
    private readonly int[] _loginState = new int[3];
    private readonly int[] _pendingLength = new int[TrackedExchanges];
    private readonly int[] _pendingOffset = new int[TrackedExchanges];
    private readonly int[] _pendingPayloadLength = new int[TrackedExchanges];
    private readonly long[] _pendingSince = new long[TrackedExchanges];
    private readonly long[] _lastUsed = new long[TrackedExchanges];
    private readonly byte[][] _pendingPayload = new byte[TrackedExchanges][];
    private long _index;
    private int _loginStep;
    private int _sweep;

    // False while a frame is generated only to be mutated or encapsulated: whether the target still takes it
    // as generated is anybody's guess (logins see SetLoginState).
    private bool _asGenerated = true;

    // Whether a data-out command is remembered for data frames to follow. True for FC-level mutations too:
    // many mutated commands still work, and a command nobody sends data to holds its OX_ID for good. False for
    // FCIP bytes, most of which never decode.
    private bool _trackData = true;

    /// <summary>Initializes a generator.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="inputsPerConnection">Inputs per connection: the generator starts each with a login.</param>
    public FrameFuzzer(ulong seed, int inputsPerConnection)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputsPerConnection, LoginInputs + 1);
        _dice = new FuzzDice(seed);
        _scsi = new ScsiCommandFrames(this, _dice);
        _copyManagement = new CopyManagementFrames(_scsi, _dice);
        _mutator = new FrameMutator(_dice);
        _inputsPerConnection = inputsPerConnection;
        for (int i = 0; i < TrackedExchanges; i++)
        {
            _pendingPayload[i] = new byte[256];
        }
    }

    /// <summary>Makes the next input.</summary>
    /// <param name="input">Filled in: bytes, kind, index, whether it starts a connection.</param>
    public void Next(FuzzInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.Index = _index;
        input.Encapsulated = false;
        input.NewConnection = _index % _inputsPerConnection == 0;
        _index++;
        if (input.NewConnection)
        {
            ResetModel();
        }

        if (_loginStep < LoginInputs)
        {
            // PLOGI then PRLI to port A, then to port B.
            int port = _loginStep / 2;
            input.Length = _loginStep % 2 == 0 ? WritePortLogin(input.Bytes, s_ports[port], FuzzTopology.FuzzHost, valid: true) : WriteProcessLogin(input.Bytes, s_ports[port], FuzzTopology.FuzzHost, valid: true);
            input.Kind = FuzzInputKind.Els;
            _loginStep++;
            return;
        }

        FuzzInputKind kind = PickKind(s_mix.Length);
        switch (kind)
        {
            case FuzzInputKind.Mutated:
                input.Length = WriteBase(input.Bytes, trackData: true);

                // Capped at the largest FC frame: the wire delivers nothing longer.
                input.Length = Math.Min(_mutator.Mutate(input.Bytes, input.Length), FcipEncapsulation.MaxFcFrameLength);
                break;
            case FuzzInputKind.FcipBytes:
                input.Length = WriteEncapsulated(input.Bytes);
                input.Encapsulated = true;
                break;
            default:
                input.Length = WriteGenerated(input.Bytes, kind, out kind);
                break;
        }

        input.Kind = kind;
        if (!input.Encapsulated)
        {
            ScrubCanaryHost(input.Bytes.AsSpan(0, input.Length));
        }
    }

    private static void ScrubCanaryHost(Span<byte> frame)
    {
        // The canary host's S_ID is never fuzzed, not even by a mutation that happens to spell it.
        if (frame.Length >= FcFrameHeader.Length && frame[5] == 0x0A && frame[6] == 0x0A && frame[7] == 0x0A)
        {
            frame[7] ^= 0x01;
        }
    }

    private void ResetModel()
    {
        Array.Clear(_loginState);
        Array.Clear(_pendingLength);
        Array.Clear(_pendingOffset);
        Array.Clear(_pendingPayloadLength);
        Array.Fill(_lastUsed, -ReuseDelay);
        _loginStep = 0;
    }

    private FuzzInputKind PickKind(int kinds)
    {
        int total = 0;
        for (int i = 0; i < kinds; i++)
        {
            total += s_mix[i];
        }

        int pick = _dice.Next(total);
        for (int i = 0; i < kinds; i++)
        {
            pick -= s_mix[i];
            if (pick < 0)
            {
                return (FuzzInputKind)i;
            }
        }

        return (FuzzInputKind)(kinds - 1);
    }

    /// <summary>Generates a frame of one of the generated kinds (not mutated, not FCIP) into <paramref name="frame"/>.</summary>
    private int WriteGenerated(byte[] frame, FuzzInputKind kind, out FuzzInputKind actual)
    {
        actual = kind;
        switch (kind)
        {
            case FuzzInputKind.Els:
                return WriteEls(frame);
            case FuzzInputKind.ScsiCommand:
            case FuzzInputKind.CopyManagement:
                int destination = _scsi.CommandDestination(out int lun);
                int missing = MissingLogin(destination);
                if (missing >= 0 && _dice.Next(8) != 0)
                {
                    // Log in again first (the model says a LOGO or a PLOGI undid it), as a real host would.
                    actual = FuzzInputKind.Els;
                    return missing == 0 ? WritePortLogin(frame, destination, FuzzTopology.FuzzHost, valid: true) : WriteProcessLogin(frame, destination, FuzzTopology.FuzzHost, valid: true);
                }

                return kind == FuzzInputKind.ScsiCommand ? _scsi.WriteScsiCommand(frame, destination, lun) : _copyManagement.WriteCopyManagement(frame, destination, lun);
            case FuzzInputKind.Data:
                return WriteData(frame);
            default:
                return WriteRandomFrame(frame);
        }
    }

    /// <summary>Generates a frame to be mutated or encapsulated; the model follows it only in part.</summary>
    private int WriteBase(byte[] frame, bool trackData)
    {
        _asGenerated = false;
        _trackData = trackData;
        try
        {
            return WriteGenerated(frame, PickKind((int)FuzzInputKind.RandomFrame + 1), out _);
        }
        finally
        {
            _asGenerated = true;
            _trackData = true;
        }
    }

    // Returns 0 when PLOGI is missing, 1 when PRLI is, -1 when the model says the host is logged in (or the
    // port is not one the generator tracks).
    internal int MissingLogin(int port)
    {
        int at = Array.IndexOf(s_ports, port);
        return at < 0 || _loginState[at] == 2 ? -1 : _loginState[at];
    }

    private void SetLoginState(int port, int state)
    {
        // A frame made only to be mutated may or may not reach the target: believe it when it undoes a login
        // (an extra login costs two inputs), never when it completes one (every command after it would get
        // LOGO until the next PRLI happened to come by).
        int at = Array.IndexOf(s_ports, port);
        if (at >= 0 && (_asGenerated || state < _loginState[at]))
        {
            _loginState[at] = state;
        }
    }

    private int LoginState(int port)
    {
        int at = Array.IndexOf(s_ports, port);
        return at < 0 ? 0 : _loginState[at];
    }

    internal static int WriteHeader(Span<byte> frame, byte routingControl, byte type, int frameControl, int destination, int source, ushort exchangeId, uint parameter = 0, ushort sequenceCount = 0)
    {
        FcFrameHeader header = new()
        {
            RoutingControl = routingControl,
            DestinationId = new PortId((uint)destination),
            SourceId = new PortId((uint)source),
            Type = type,
            FrameControl = frameControl,
            SequenceCount = sequenceCount,
            OriginatorExchangeId = exchangeId,
            ResponderExchangeId = 0xFFFF,
            Parameter = parameter,
        };
        header.TryWrite(frame);
        return FcFrameHeader.Length;
    }

    /// <summary>A source ID: the fuzz host's, 6 % a random one (never the canary host's, never 0).</summary>
    internal int Source()
    {
        return _dice.Chance(94) ? FuzzTopology.FuzzHost : RandomPortId();
    }

    private int RandomPortId()
    {
        int id = _dice.Next(FcFrameHeader.MaxPortId) + 1;
        return id == FuzzTopology.CanaryHost ? id + 1 : id;
    }

    /// <summary>A destination ID: the two fuzz ports, the canary port, or a random one.</summary>
    private int Destination()
    {
        int pick = _dice.Next(100);
        return pick switch
        {
            < 60 => FuzzTopology.PortA,
            < 80 => FuzzTopology.PortB,
            < 88 => FuzzTopology.CanaryPort,
            _ => _dice.Next(FcFrameHeader.MaxPortId + 1),
        };
    }

    /// <summary>
    /// A command's OX_ID: like <see cref="ExchangeId"/>, but nine times in ten not one the generator believes
    /// still waits for data or used in the last <see cref="ReuseDelay"/> inputs (a real initiator reuses an
    /// OX_ID only after its FCP_RSP, and the target's writer answers some way behind the fuzzer); the tenth may
    /// well be OVERLAPPED.
    /// </summary>
    internal ushort CommandExchangeId()
    {
        ushort id = ExchangeId();
        if (id >= TrackedExchanges)
        {
            return id;
        }

        if (!_dice.Chance(10))
        {
            for (int i = 0; i < TrackedExchanges; i++)
            {
                int other = (id + i) % TrackedExchanges;
                if (_pendingLength[other] == 0 && _index - _lastUsed[other] >= ReuseDelay)
                {
                    id = (ushort)other;
                    break;
                }
            }
        }

        _lastUsed[id] = _index;
        return id;
    }

    /// <summary>An OX_ID: mostly the tracked range, so that data and overlapping commands meet their exchanges.</summary>
    private ushort ExchangeId()
    {
        int pick = _dice.Next(100);
        return pick switch
        {
            < 85 => (ushort)_dice.Next(TrackedExchanges),
            < 95 => (ushort)_dice.Next(0x10000),
            _ => _dice.Next(4) switch
            {
                0 => 0,
                1 => 0xFFFF,
                2 => 0xFFFE,
                _ => TrackedExchanges - 1,
            },
        };
    }

    internal void ExpectData(ushort exchangeId, int length, ReadOnlySpan<byte> dataOut)
    {
        if (!_trackData || exchangeId >= TrackedExchanges)
        {
            return;
        }

        _pendingLength[exchangeId] = length;
        _pendingOffset[exchangeId] = 0;
        _pendingSince[exchangeId] = _index;
        int stored = dataOut.Length <= _pendingPayload[exchangeId].Length ? dataOut.Length : 0;
        dataOut[..stored].CopyTo(_pendingPayload[exchangeId]);
        _pendingPayloadLength[exchangeId] = stored;
    }
}
