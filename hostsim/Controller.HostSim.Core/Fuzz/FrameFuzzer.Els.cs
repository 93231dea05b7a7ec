// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Wire;
using Controller.Wire.Els;

namespace Controller.HostSim.Core.Fuzz;

/// <content>ELS frames: the login sequence, LOGO, replies sent the wrong way, unknown commands.</content>
public sealed partial class FrameFuzzer
{
    private int WriteEls(byte[] frame)
    {
        int destination = Destination();
        int source = Source();
        int pick = _dice.Next(100);
        if (pick < 30)
        {
            return WritePortLogin(frame, destination, source, valid: _dice.Chance(85));
        }

        if (pick < 60)
        {
            return WriteProcessLogin(frame, destination, source, valid: _dice.Chance(85));
        }

        if (pick < 70)
        {
            int at = WriteHeader(frame, FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, FcFrameControl.ElsRequest, destination, source, ElsExchangeId());
            PortId logout = new((uint)source);
            ElsPayload.WriteLogout(frame.AsSpan(at), logout, ElsPayload.PortNameFor(logout));

            // The target ends the login of the port addressed whoever sends the LOGO on this connection.
            SetLoginState(destination, 0);
            return at + ElsPayload.LogoutLength;
        }

        if (pick < 78)
        {
            // An LS_ACC or LS_RJT the target never asked for (it only expects one after a LOGO it sent).
            int at = WriteHeader(frame, FcRoutingControl.ElsReply, FcFrameHeader.TypeEls, FcFrameControl.ElsReply, destination, source, ElsExchangeId());
            int length = _dice.Next(3) switch
            {
                0 => 0,
                1 => ElsPayload.RejectLength,
                _ => 4 + (4 * _dice.Next(30)),
            };
            _dice.Fill(frame.AsSpan(at, length));
            if (length > 0)
            {
                frame[at] = _dice.Chance(50) ? ElsCommand.LinkServiceAccept : ElsCommand.LinkServiceReject;
            }

            return at + length;
        }

        // An ELS command the target does not implement (or an empty payload, which has no command at all).
        int header = WriteHeader(frame, FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, FcFrameControl.ElsRequest, destination, source, ElsExchangeId());
        int payload = _dice.Chance(10) ? 0 : 4 + _dice.Next(64);
        _dice.Fill(frame.AsSpan(header, payload));
        if (payload > 0 && frame[header] is ElsCommand.PortLogin or ElsCommand.ProcessLogin or ElsCommand.Logout)
        {
            frame[header] = 0x7F;
        }

        return header + payload;
    }

    private int WritePortLogin(byte[] frame, int destination, int source, bool valid)
    {
        int at = WriteHeader(frame, FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, FcFrameControl.ElsRequest, destination, source, ElsExchangeId());
        ulong portName = ElsPayload.PortNameFor(new PortId((uint)source));
        ElsPayload.WritePortLogin(frame.AsSpan(at), ElsCommand.PortLogin, portName, portName & ~0xFFFFFFUL);
        if (valid)
        {
            if (source == FuzzTopology.FuzzHost)
            {
                // A PLOGI replaces the login: PRLI is needed again.
                SetLoginState(destination, 1);
            }

            return at + ElsPayload.PortLoginLength;
        }

        // Too short to be a PLOGI, or with trailing bytes, or with the LS_ACC code instead of PLOGI's.
        return _dice.Next(3) switch
        {
            0 => at + _dice.Next(ElsPayload.PortLoginLength),
            1 => at + ElsPayload.PortLoginLength + (4 * (1 + _dice.Next(16))),
            _ => SetFirstByte(frame, at, ElsCommand.LinkServiceAccept, at + ElsPayload.PortLoginLength),
        };
    }

    private int WriteProcessLogin(byte[] frame, int destination, int source, bool valid)
    {
        int at = WriteHeader(frame, FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, FcFrameControl.ElsRequest, destination, source, ElsExchangeId());
        int parameters = ElsPayload.InitiatorFunction | ElsPayload.ReadTransferReadyDisabled | (_dice.Chance(30) ? ElsPayload.WriteTransferReadyDisabled : 0);
        ElsPayload.WriteProcessLogin(frame.AsSpan(at), ElsCommand.ProcessLogin, parameters);
        if (valid)
        {
            if (source == FuzzTopology.FuzzHost && LoginState(destination) >= 1)
            {
                SetLoginState(destination, 2);
            }

            return at + ElsPayload.ProcessLoginLength;
        }

        // Short, or the service parameter page's length or type wrong.
        switch (_dice.Next(3))
        {
            case 0:
                return at + _dice.Next(ElsPayload.ProcessLoginLength);
            case 1:
                frame[at + 1] = (byte)_dice.Next(256);
                return at + ElsPayload.ProcessLoginLength;
            default:
                frame[at + 4] = (byte)_dice.Next(256);
                return at + ElsPayload.ProcessLoginLength;
        }
    }

    private ushort ElsExchangeId()
    {
        return _dice.Chance(90) ? (ushort)(0xF000 | _dice.Next(0x1000)) : (ushort)_dice.Next(0x10000);
    }

    private static int SetFirstByte(byte[] frame, int at, byte value, int length)
    {
        frame[at] = value;
        return length;
    }
}
