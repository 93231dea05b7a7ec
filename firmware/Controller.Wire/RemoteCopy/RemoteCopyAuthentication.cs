// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Controller.Addressing;

namespace Controller.Wire.RemoteCopy;

/// <summary>
/// RC AUTHENTICATE (docs/remote-copy.md, "Peer authentication"): a challenge-response over a pre-shared key, in the
/// spirit of FC-SP's DH-CHAP and iSCSI's CHAP, carried in the first remote-copy commands of a connection.
/// </summary>
/// <remarks>
/// <para>Step 1, CDB <c>E4 01 ... </c>, data-in of <see cref="ChallengeLength"/> bytes: the secondary's fresh random
/// challenge Nt, kept for this connection and good for one answer.</para>
/// <para>Step 2, CDB <c>E4 02 ...</c>, data-out of <see cref="ResponseLength"/> bytes: the primary's own random nonce
/// Ni and HMAC-SHA256(key, label | Nt | Ni | S_ID | D_ID), the IDs as 3 bytes each. The secondary compares in constant
/// time; GOOD admits the connection's remote-copy commands, anything else leaves them refused.</para>
/// <para>The key never crosses the wire; a recorded exchange cannot be replayed (Nt is new each time); the IDs bind
/// the proof to the initiator and target ports it was made for.</para>
/// </remarks>
public static class RemoteCopyAuthentication
{
    /// <summary>Bytes of the secondary's challenge (step 1's data-in).</summary>
    public const int ChallengeLength = 32;

    /// <summary>Bytes of the primary's nonce.</summary>
    public const int NonceLength = 32;

    /// <summary>Bytes of the proof, an HMAC-SHA256.</summary>
    public const int ProofLength = 32;

    /// <summary>Bytes of step 2's data-out: the nonce, then the proof.</summary>
    public const int ResponseLength = NonceLength + ProofLength;

    /// <summary>CDB byte 1 of step 1.</summary>
    public const byte ChallengeStep = 1;

    /// <summary>CDB byte 1 of step 2.</summary>
    public const byte ResponseStep = 2;

    /// <summary>The shortest key accepted, in bytes (128 bits).</summary>
    public const int MinimumKeyLength = 16;

    private static readonly byte[] s_label = Encoding.ASCII.GetBytes("controller-sim RC AUTHENTICATE v1");

    /// <summary>Writes a step's 16-byte CDB.</summary>
    /// <param name="step"><see cref="ChallengeStep"/> or <see cref="ResponseStep"/>.</param>
    /// <param name="cdb">At least 16 bytes.</param>
    public static void WriteCdb(byte step, Span<byte> cdb)
    {
        cdb[..16].Clear();
        cdb[0] = RemoteCopyOpcode.Authenticate;
        cdb[1] = step;
        BinaryPrimitives.WriteUInt32BigEndian(cdb[6..], (uint)(step == ChallengeStep ? ChallengeLength : ResponseLength));
    }

    /// <summary>Reads a CDB's step, checking its length field and reserved bytes.</summary>
    /// <param name="cdb">The CDB.</param>
    /// <param name="step">The step.</param>
    /// <param name="reason">Why not, when it is not a valid RC AUTHENTICATE CDB.</param>
    /// <returns>True when valid.</returns>
    public static bool TryReadCdb(ReadOnlySpan<byte> cdb, out byte step, out string? reason)
    {
        step = cdb.Length >= 16 ? cdb[1] : (byte)0;
        if (cdb.Length < 16 || step is not (ChallengeStep or ResponseStep))
        {
            reason = "RC AUTHENTICATE: step " + step + " is not 1 (challenge) or 2 (response)";
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);
        if (length != (step == ChallengeStep ? ChallengeLength : ResponseLength))
        {
            reason = "RC AUTHENTICATE: step " + step + " carries " + (step == ChallengeStep ? ChallengeLength : ResponseLength) + " bytes, not " + length;
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>Computes the proof of step 2.</summary>
    /// <param name="key">The pre-shared key.</param>
    /// <param name="challenge">The secondary's challenge Nt.</param>
    /// <param name="nonce">The primary's nonce Ni.</param>
    /// <param name="initiatorId">The primary's initiator port ID (S_ID).</param>
    /// <param name="targetId">The secondary's target port ID (D_ID).</param>
    /// <param name="proof">Receives <see cref="ProofLength"/> bytes.</param>
    public static void ComputeProof(ReadOnlySpan<byte> key, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> nonce, PortId initiatorId, PortId targetId, Span<byte> proof)
    {
        Span<byte> message = stackalloc byte[64 + ChallengeLength + NonceLength + 6];
        int at = 0;
        s_label.CopyTo(message);
        at += s_label.Length;
        challenge.CopyTo(message[at..]);
        at += challenge.Length;
        nonce.CopyTo(message[at..]);
        at += nonce.Length;
        WritePortId(message[at..], initiatorId);
        WritePortId(message[(at + 3)..], targetId);
        HMACSHA256.HashData(key, message[..(at + 6)], proof);
    }

    /// <summary>Checks a step-2 answer against the challenge, in constant time.</summary>
    /// <param name="key">The pre-shared key.</param>
    /// <param name="challenge">The challenge this connection was given.</param>
    /// <param name="response">Step 2's data: nonce and proof.</param>
    /// <param name="initiatorId">The S_ID of the answer.</param>
    /// <param name="targetId">The D_ID of the answer.</param>
    /// <returns>True when the proof is right.</returns>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> response, PortId initiatorId, PortId targetId)
    {
        if (response.Length != ResponseLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[ProofLength];
        ComputeProof(key, challenge, response[..NonceLength], initiatorId, targetId, expected);
        return CryptographicOperations.FixedTimeEquals(expected, response[NonceLength..]);
    }

    private static void WritePortId(Span<byte> destination, PortId portId)
    {
        destination[0] = portId.Domain;
        destination[1] = portId.Area;
        destination[2] = portId.Port;
    }
}
