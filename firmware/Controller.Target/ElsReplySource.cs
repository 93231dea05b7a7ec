// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;
using Controller.Wire.Transport;

namespace Controller.Target;

/// <summary>An ELS frame the target sends: a reply to PLOGI/PRLI/LOGO, or a LOGO of its own. Control plane: allocated.</summary>
internal sealed class ElsReplySource : OutboundFrameSource
{
    private readonly FcFrameHeader _header;
    private readonly byte[] _payload;

    public ElsReplySource(in FcFrameHeader header, byte[] payload)
    {
        _header = header;
        _payload = payload;
    }

    public override void WriteFrames(FcipFrameEmitter emitter)
    {
        emitter.Write(_header, _payload, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate);
    }
}
