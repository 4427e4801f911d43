using System;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

// Segment arrival (RFC 793 section 3.9, "SEGMENT ARRIVES"), with RFC 5961's challenge ACK for a RST or SYN
// in the window but not at its left edge. Caller: Tcp, for a segment whose checksum is right, on the CPU's thread.
internal sealed partial class TcpConnection
{
    /// <summary>Most out-of-order ranges kept ahead of the next expected byte; past it such segments are dropped.</summary>
    public const int MaxGaps = 32;

    private uint _irs, _rcvNxt, _rcvAdvEdge;
    private readonly uint[] _gapStart = new uint[MaxGaps], _gapEnd = new uint[MaxGaps];
    private int _gaps, _ackPending;

    /// <summary>Handles one segment of this connection; <paramref name="payload"/> is its data.</summary>
    public void Input(in TcpSegment s, ReadOnlySpan<byte> payload)
    {
        long now = _tcp.Now;
        if (State == TcpState.SynSent) InputSynSent(s, now);
        else InputSynchronized(s, payload, now);
        Notify();
    }

    private void InputSynSent(in TcpSegment s, long now)
    {
        bool ackOk = s.Has(TcpFlags.Ack) && Seq.Gt(s.Acknowledgment, _iss) && Seq.Le(s.Acknowledgment, _sndMax);
        if (s.Has(TcpFlags.Ack) && !ackOk)
        {
            if (!s.Has(TcpFlags.Rst)) _tcp.SendReset(Remote.Address, Local.Port, Remote.Port, s.Acknowledgment, 0, TcpFlags.Rst);
            return;
        }
        if (s.Has(TcpFlags.Rst))
        {
            if (ackOk) Destroy(-Tcp.ECONNREFUSED);
            return;
        }
        if (!s.Has(TcpFlags.Syn)) return;
        TakeSyn(s);
        if (!ackOk)
        {
            State = TcpState.SynReceived;             // simultaneous open
            SendSyn();
            return;
        }
        _sndUna = s.Acknowledgment;
        if (_retries == 0) SampleRtt(now - _rttStart);
        Established(s, now);
        SendAck();
    }

    // The peer's SYN: its sequence number and options.
    private void TakeSyn(in TcpSegment s)
    {
        _irs = s.Sequence;
        _rcvNxt = s.Sequence + 1;
        _rcvAdvEdge = _rcvNxt + (uint)Math.Min(_recvCapacity, ushort.MaxValue);   // the window our SYN or SYN-ACK advertises, unscaled
        _mss = s.Mss == 0 ? Tcp.DefaultMss : Math.Min((int)s.Mss, _tcp.LocalMss);
        _mss = Math.Max(_mss, 64);
        if (s.WindowShift >= 0) { _sndShift = s.WindowShift; _rcvShift = Tcp.WindowShift; }
        else _sndShift = _rcvShift = 0;
        _sndWnd = s.Window;
        _sndWl1 = s.Sequence;
        _cwnd = Tcp.InitialWindowSegments * _mss;
    }

    private void Established(in TcpSegment s, long now)
    {
        State = TcpState.Established;
        _rtoAt = -1;
        _retries = 0;
        _sndWnd = s.Has(TcpFlags.Syn) ? s.Window : (uint)s.Window << _sndShift;   // a SYN's window is never scaled
        _sndWl1 = s.Sequence;
        _sndWl2 = s.Acknowledgment;
        _sndNxt = _sndMax = _sndUna;
        _send ??= new TcpRing(_sendCapacity);
        _recv ??= new TcpRing(_recvCapacity);
        _lastHeard = now;
        ArmKeepalive();
        Listener?.Accepted(this);
    }

    private void InputSynchronized(in TcpSegment s, ReadOnlySpan<byte> payload, long now)
    {
        uint seq = s.Sequence;
        int length = s.SequenceLength;
        uint window = Math.Max(_rcvAdvEdge - _rcvNxt, 1u);
        bool acceptable = length == 0
            ? Seq.Ge(seq, _rcvNxt) && Seq.Le(seq, _rcvNxt + window)
            : Seq.Lt(seq, _rcvNxt + window) && Seq.Gt(seq + (uint)length, _rcvNxt);
        if (!acceptable)
        {
            if (!s.Has(TcpFlags.Rst)) SendAck();      // an old duplicate, or a keepalive probe
            if (State == TcpState.TimeWait && s.Has(TcpFlags.Fin)) Arm(ref _closeAt, now + Tcp.TimeWaitNs);
            return;
        }
        _lastHeard = now;
        _keepProbes = 0;
        if (s.Has(TcpFlags.Rst))
        {
            if (seq != _rcvNxt) SendAck();            // RFC 5961: in the window but not exact
            else Destroy(State == TcpState.SynReceived && Listener != null ? 0 : -Tcp.ECONNRESET);
            return;
        }
        if (s.Has(TcpFlags.Syn))
        {
            if (State == TcpState.SynReceived && seq == _irs) SendSyn();   // the peer did not hear our SYN-ACK
            else SendAck();
            return;
        }
        if (!s.Has(TcpFlags.Ack)) return;
        if (State == TcpState.SynReceived)
        {
            if (!Seq.Gt(s.Acknowledgment, _iss) || Seq.Gt(s.Acknowledgment, _sndMax))
            {
                _tcp.SendReset(Remote.Address, Local.Port, Remote.Port, s.Acknowledgment, 0, TcpFlags.Rst);
                return;
            }
            _sndUna = s.Acknowledgment;
            if (_retries == 0) SampleRtt(now - _rttStart);
            Established(s, now);
        }
        if (!InputAck(s, now)) return;
        if (State == TcpState.Closed) return;
        TrimAndDeliver(s, payload, now);
    }

    // Keeps the part of the segment inside the window and hands its data and FIN on.
    private void TrimAndDeliver(in TcpSegment s, ReadOnlySpan<byte> payload, long now)
    {
        uint seq = s.Sequence;
        bool fin = s.Has(TcpFlags.Fin);
        if (Seq.Lt(seq, _rcvNxt))
        {
            int old = (int)Math.Min(_rcvNxt - seq, (uint)payload.Length);
            payload = payload[old..];
            seq += (uint)old;
        }
        uint edge = _rcvAdvEdge;
        if (Seq.Gt(seq + (uint)payload.Length, edge))
        {
            payload = payload[..(int)Math.Max(0, (int)(edge - seq))];
            fin = false;
        }
        bool receiving = State is TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2;
        if (!receiving) { if (payload.Length > 0 || fin) SendAck(); return; }
        if (payload.Length > 0) Deliver(seq, payload, now);
        if (fin && seq + (uint)payload.Length == _rcvNxt) ReceiveFin(now);
        else if (fin || (payload.IsEmpty && s.PayloadBytes > 0)) SendAck();   // out of order, or nothing fitted the window
    }

    // Data inside the window at `seq`: in order, it is committed (with any ranges it joins); out of order, it is
    // written ahead in the ring and remembered as a range.
    private void Deliver(uint seq, ReadOnlySpan<byte> data, long now)
    {
        var ring = _recv!;
        int offset = (int)(seq - _rcvNxt);
        if (offset < 0 || offset + data.Length > ring.Free) return;   // past the room advertised (never, as the edge never exceeds it)
        if (_readShut) { if (offset == 0) _rcvNxt += (uint)data.Length; SendAck(); return; }
        if (offset > 0)
        {
            if (AddGap(seq, seq + (uint)data.Length)) ring.WriteAt(offset, data);
            SendAck();                                 // a duplicate ACK: the sender learns of the hole
            return;
        }
        ring.WriteAt(0, data);
        ring.Commit(data.Length);
        _rcvNxt += (uint)data.Length;
        bool filled = JoinGaps();
        if (filled || ++_ackPending >= 2 || !Tcp.DelayedAck) SendAck();
        else Arm(ref _ackAt, now + Tcp.DelayedAckNs);
    }

    // Records [start, end) as received ahead, merged with the ranges it touches; false if MaxGaps are held and it touches none.
    private bool AddGap(uint start, uint end)
    {
        for (int i = 0; i < _gaps; i++)
        {
            if (Seq.Gt(start, _gapEnd[i]) || Seq.Lt(end, _gapStart[i])) continue;
            start = Seq.Lt(start, _gapStart[i]) ? start : _gapStart[i];
            end = Seq.Gt(end, _gapEnd[i]) ? end : _gapEnd[i];
            RemoveGap(i--);
        }
        if (_gaps == MaxGaps) return false;
        _gapStart[_gaps] = start;
        _gapEnd[_gaps++] = end;
        return true;
    }

    private void RemoveGap(int i)
    {
        _gaps--;
        _gapStart[i] = _gapStart[_gaps];
        _gapEnd[i] = _gapEnd[_gaps];
    }

    // Commits the ranges the next expected byte has reached; true if any was.
    private bool JoinGaps()
    {
        bool joined = false;
        for (int i = 0; i < _gaps; i++)
        {
            if (Seq.Gt(_gapStart[i], _rcvNxt)) continue;
            if (Seq.Gt(_gapEnd[i], _rcvNxt))
            {
                _recv!.Commit((int)(_gapEnd[i] - _rcvNxt));
                _rcvNxt = _gapEnd[i];
            }
            RemoveGap(i);
            i = -1;                                    // the next expected byte moved: look again from the start
            joined = true;
        }
        return joined;
    }

    // The peer's FIN, in order.
    private void ReceiveFin(long now)
    {
        _rcvNxt++;
        _finReceived = true;
        _gaps = 0;
        switch (State)
        {
            case TcpState.Established: State = TcpState.CloseWait; break;
            case TcpState.FinWait1: if (_finAcked) EnterTimeWait(now); else State = TcpState.Closing; break;
            case TcpState.FinWait2: EnterTimeWait(now); break;
        }
        SendAck();
    }

    private void EnterTimeWait(long now)
    {
        State = TcpState.TimeWait;
        _rtoAt = _ackAt = _keepAt = _retryAt = -1;
        Arm(ref _closeAt, now + Tcp.TimeWaitNs);
    }
}
