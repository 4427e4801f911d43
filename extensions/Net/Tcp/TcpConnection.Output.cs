using System;
using Spindle.Sdk.Net;

namespace Spindle.Extensions.Net;

// Acknowledgments, sending, retransmission and congestion control: RFC 6298's RTO (Karn's rule: no sample
// from a retransmitted segment), RFC 5681's slow start, congestion avoidance and fast retransmit, RFC 6582's
// NewReno recovery, Nagle's algorithm (RFC 896) unless NoDelay, zero-window probes, keepalive (RFC 1122).
// Caller: the connection itself, on the CPU's thread.
internal sealed partial class TcpConnection
{
    private uint _iss, _sndUna, _sndNxt, _sndMax, _sndWnd, _sndWl1, _sndWl2, _finSeq, _recover, _rttSeq;
    private int _sndShift, _rcvShift, _mss = Tcp.DefaultMss, _cwnd, _ssthresh = int.MaxValue, _dupAcks, _retries, _keepProbes;
    private bool _inRecovery, _rttTiming, _forceProbe;
    private long _srtt, _rttvar, _rto = Tcp.InitialRtoNs, _rttStart, _lastHeard, _retryDelay = Tcp.MinRetryNs;
    private long _rtoAt = -1, _ackAt = -1, _keepAt = -1, _closeAt = -1, _retryAt = -1;

    private void InitSend(uint iss)
    {
        _iss = _recover = iss;
        _sndUna = _sndNxt = _sndMax = iss;
    }

    private int InFlight => (int)(_sndNxt - _sndUna);

    // The ACK field of a synchronized segment (RFC 793's "fifth, check the ACK field"); false: drop the segment.
    private bool InputAck(in TcpSegment s, long now)
    {
        uint ack = s.Acknowledgment;
        if (Seq.Gt(ack, _sndMax)) { SendAck(); return false; }
        if (Seq.Le(ack, _sndUna))
        {
            // RFC 5681's duplicate, but for the window: ours only grows while its reader reads, which must not
            // hide the duplicates a hole makes.
            bool duplicate = ack == _sndUna && s.PayloadBytes == 0 && !s.Has(TcpFlags.Fin) && _sndMax != _sndUna;
            UpdateWindow(s, advanced: false);
            if (duplicate) DuplicateAck();
            Output();
            return true;
        }
        UpdateWindow(s, advanced: true);
        int acked = (int)(ack - _sndUna);
        int data = Math.Min(acked, _send!.Count);
        _send.Discard(data);
        if (_writeShut && Seq.Gt(ack, _finSeq)) _finAcked = true;
        _sndUna = ack;
        if (Seq.Lt(_sndNxt, _sndUna)) _sndNxt = _sndUna;
        if (_rttTiming && Seq.Gt(ack, _rttSeq)) { _rttTiming = false; SampleRtt(now - _rttStart); }
        else if (_retries > 0 && _srtt > 0) _rto = RtoFromSamples();     // new data acknowledged: the backoff ends (as Linux)
        _retries = 0;
        NewAck(acked, ack);
        _rtoAt = _sndUna == _sndMax ? -1 : now + _rto;
        if (_rtoAt >= 0) _tcp.Wake(_rtoAt);
        if (_finAcked) FinAcked(now);
        if (State != TcpState.Closed) Output();
        return true;
    }

    // Congestion control on an ACK of new data.
    private void NewAck(int acked, uint ack)
    {
        if (_inRecovery)
        {
            if (Seq.Ge(ack, _recover))
            {
                _cwnd = Math.Min(_ssthresh, Math.Max(InFlight, 0) + _mss);   // full acknowledgment: leave recovery
                _inRecovery = false;
            }
            else
            {
                RetransmitFirst();                                           // partial: the next hole
                _cwnd = Math.Max(_cwnd - acked, 0) + (acked >= _mss ? _mss : 0);
                _cwnd = Math.Max(_cwnd, _mss);
            }
        }
        else if (_cwnd < _ssthresh) _cwnd += Math.Min(acked, _mss);
        else _cwnd += Math.Max(1, (int)((long)_mss * _mss / _cwnd));
        _cwnd = Math.Min(_cwnd, Tcp.MaxCongestionWindow);
        _dupAcks = 0;
    }

    private void DuplicateAck()
    {
        if (_inRecovery) { _cwnd += _mss; return; }
        if (++_dupAcks != 3 || Seq.Le(_sndUna - 1, _recover)) return;   // RFC 6582: not again for losses of one window
        _ssthresh = Math.Max(InFlight / 2, 2 * _mss);
        _recover = _sndMax;
        _inRecovery = true;
        _rttTiming = false;
        RetransmitFirst();
        _cwnd = _ssthresh + 3 * _mss;
    }

    // The peer's window, from a segment newer than the last that set it (Linux's rule: the ACK advanced, the
    // sequence number did, or the same one offers more), so neither a reordered old segment nor the peer's going
    // back to resend freezes it.
    private void UpdateWindow(in TcpSegment s, bool advanced)
    {
        uint window = (uint)s.Window << _sndShift;
        if (advanced || Seq.Lt(_sndWl1, s.Sequence) || (_sndWl1 == s.Sequence && window > _sndWnd))
        {
            _sndWnd = window;
            _sndWl1 = s.Sequence;
            _sndWl2 = s.Acknowledgment;
        }
    }

    private void FinAcked(long now)
    {
        switch (State)
        {
            case TcpState.FinWait1:
                State = TcpState.FinWait2;
                if (_released) Arm(ref _closeAt, now + Tcp.OrphanFinWaitNs);
                break;
            case TcpState.Closing: EnterTimeWait(now); break;
            case TcpState.LastAck: Destroy(0); break;
        }
    }

    // RFC 6298 section 2: the smoothed round-trip time, its variation, and the RTO from them.
    private void SampleRtt(long rtt)
    {
        rtt = Math.Max(rtt, 0);
        if (_srtt == 0) { _srtt = Math.Max(rtt, 1); _rttvar = rtt / 2; }
        else
        {
            _rttvar = (3 * _rttvar + Math.Abs(_srtt - rtt)) / 4;
            _srtt = Math.Max((7 * _srtt + rtt) / 8, 1);
        }
        _rto = RtoFromSamples();
    }

    private long RtoFromSamples() => Math.Clamp(_srtt + Math.Max(Tcp.ClockGranularityNs, 4 * _rttvar), Tcp.MinRtoNs, Tcp.MaxRtoNs);

    /// <summary>Sends what the windows, Nagle and the send ring allow, and the FIN after the last byte once shut down.</summary>
    private void Output()
    {
        if (State is not (TcpState.Established or TcpState.CloseWait or TcpState.FinWait1 or TcpState.Closing or TcpState.LastAck)) return;
        if (_retryAt >= 0) return;                               // the card refused the last segment: wait for the retry
        long now = _tcp.Now;
        while (true)
        {
            int inFlight = InFlight, unsent = _send!.Count - inFlight;
            if (unsent < 0) return;                              // the FIN is in flight
            long room = Math.Min((long)_sndWnd, _cwnd) - inFlight;
            int length = (int)Math.Clamp(room, 0, Math.Min(unsent, _mss));
            if (_forceProbe && length == 0 && unsent > 0) length = 1;
            _forceProbe = false;
            bool fin = _writeShut && length == unsent;
            if (length == 0 && !fin)
            {
                if (unsent > 0 && inFlight == 0 && _rtoAt < 0) Arm(ref _rtoAt, now + _rto);   // zero window: persist
                return;
            }
            if (!fin && length < _mss && inFlight > 0 && (!_noDelay || length < unsent)) return;   // Nagle; the sender's silly window
            byte flags = (byte)(TcpFlags.Ack | (fin ? TcpFlags.Fin : 0) | (length > 0 && length == unsent ? TcpFlags.Psh : 0));
            if (!SendSegment(_sndNxt, length, flags)) { BlockedOutput(now); return; }
            _retryDelay = Tcp.MinRetryNs;
            if (Seq.Lt(_sndNxt, _sndMax)) _tcp.CountRetransmit();
            else if (!_rttTiming) { _rttTiming = true; _rttSeq = _sndNxt; _rttStart = now; }
            _sndNxt += (uint)length + (fin ? 1u : 0u);
            if (Seq.Gt(_sndNxt, _sndMax)) _sndMax = _sndNxt;
            if (_rtoAt < 0) Arm(ref _rtoAt, now + _rto);
            if (fin) return;
        }
    }

    // The card's ring was full or the next hop unresolved: try again soon, backing off to the RTO's floor.
    private void BlockedOutput(long now)
    {
        Arm(ref _retryAt, now + _retryDelay);
        _retryDelay = Math.Min(_retryDelay * 2, Tcp.MinRtoNs);
    }

    // Sends the oldest unacknowledged segment again (fast retransmit, a partial ACK in recovery).
    private void RetransmitFirst()
    {
        int length = Math.Min(_mss, _send!.Count);
        bool fin = _writeShut && length == _send.Count && Seq.Gt(_sndMax, _finSeq);
        if (length == 0 && !fin) return;
        _tcp.CountRetransmit();
        SendSegment(_sndUna, length, (byte)(TcpFlags.Ack | (fin ? TcpFlags.Fin : 0)));
        Arm(ref _rtoAt, _tcp.Now + _rto);
    }

    private void SendSyn()
    {
        byte flags = State == TcpState.SynSent ? TcpFlags.Syn : (byte)(TcpFlags.Syn | TcpFlags.Ack);
        bool scale = State == TcpState.SynSent || _rcvShift > 0;
        long now = _tcp.Now;
        _rttStart = now;
        SendSegment(_iss, 0, flags, syn: true, scale);
        _sndNxt = _sndMax = _iss + 1;
        Arm(ref _rtoAt, now + _rto);
    }

    // A segment without data carries the highest sequence number sent: after a timeout _sndNxt goes back to
    // resend, and a zero-length segment below the peer's next expected byte would be refused as old.
    private void SendAck() => SendSegment(_sndMax, 0, TcpFlags.Ack);

    /// <summary>
    /// Sends one segment at <paramref name="seq"/> carrying <paramref name="length"/> bytes of the send ring; true
    /// if the layers below took it. Every segment carries the current acknowledgment and window, so a delayed
    /// ACK owed is paid by it.
    /// </summary>
    private bool SendSegment(uint seq, int length, byte flags, bool syn = false, bool scale = false)
    {
        if (!_tcp.TryAllocate(out var packet)) return false;
        try
        {
            if (length > 0) _send!.CopyOut((int)(seq - _sndUna), packet.Append(length));
            ushort window = syn ? (ushort)Math.Min(_recvCapacity, ushort.MaxValue) : AdvertiseWindow();
            uint ack = (flags & TcpFlags.Ack) != 0 ? _rcvNxt : 0;
            TcpSegment.Write(packet, _tcp.Address, Remote.Address, Local.Port, Remote.Port, seq, ack, flags, window,
                syn ? (ushort)_tcp.LocalMss : (ushort)0, syn && scale ? Tcp.WindowShift : -1);
            if (!_tcp.Transmit(Remote.Address, packet)) return false;
        }
        finally { _tcp.Free(packet); }
        if ((flags & TcpFlags.Ack) != 0) { _ackAt = -1; _ackPending = 0; }
        return true;
    }

    // The window to advertise: the ring's room, scaled, never moving the right edge back (RFC 793).
    private ushort AdvertiseWindow()
    {
        long room = Math.Min((long)(_recv?.Free ?? _recvCapacity), (long)ushort.MaxValue << _rcvShift);
        uint edge = _rcvNxt + (uint)(room >> _rcvShift << _rcvShift);
        if (Seq.Gt(edge, _rcvAdvEdge)) _rcvAdvEdge = edge;
        return (ushort)Math.Min((_rcvAdvEdge - _rcvNxt) >> _rcvShift, ushort.MaxValue);
    }

    // After the user read: tells the peer when the window grew by enough to matter (the receiver's silly window).
    private void WindowOpened()
    {
        if (_readShut || State is not (TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2)) return;
        long grown = (long)_recv!.Free - (_rcvAdvEdge - _rcvNxt);
        if (grown >= Math.Min(_recv.Capacity / 2, 2 * _mss)) SendAck();
    }

    /// <summary>Sets a timer of this connection and makes sure the stack's alarm fires by then.</summary>
    private void Arm(ref long timer, long at)
    {
        timer = at;
        _tcp.Wake(at);
    }

    private void ArmKeepalive()
    {
        if (_keepAlive && State == TcpState.Established) Arm(ref _keepAt, _lastHeard + Tcp.KeepIdleNs);
        else _keepAt = -1;
    }

    /// <summary>Runs the timers due at <paramref name="now"/>; returns the next deadline (-1: none).</summary>
    public long OnTimer(long now)
    {
        if (_closeAt >= 0 && now >= _closeAt) { Destroy(0); return -1; }
        if (_ackAt >= 0 && now >= _ackAt) SendAck();
        if (_retryAt >= 0 && now >= _retryAt) { _retryAt = -1; Output(); }
        if (_rtoAt >= 0 && now >= _rtoAt) RetransmitTimeout(now);
        if (_keepAt >= 0 && now >= _keepAt) Keepalive(now);
        if (State != TcpState.Closed) Notify();
        return Earliest(Earliest(Earliest(_closeAt, _ackAt), Earliest(_retryAt, _rtoAt)), _keepAt);
    }

    private static long Earliest(long a, long b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);

    private void RetransmitTimeout(long now)
    {
        _rtoAt = -1;
        bool handshake = State is TcpState.SynSent or TcpState.SynReceived;
        if (++_retries > (handshake ? Tcp.SynRetries : Tcp.DataRetries))
        {
            if (!handshake) SendSegment(_sndMax, 0, TcpFlags.Rst | TcpFlags.Ack);
            Destroy(State == TcpState.SynReceived && Listener != null ? 0 : -Tcp.ETIMEDOUT);
            return;
        }
        _rto = Math.Min(_rto * 2, Tcp.MaxRtoNs);
        _rttTiming = false;
        if (handshake) { SendSyn(); return; }
        if (_sndUna == _sndMax)
        {
            _forceProbe = true;                       // the peer's window is closed: probe it with one byte
            _retries = 0;
        }
        else
        {
            _ssthresh = Math.Max(InFlight / 2, 2 * _mss);
            _cwnd = _mss;
            _inRecovery = false;
            _dupAcks = 0;
            _recover = _sndMax;
            _sndNxt = _sndUna;                         // go back: resend from the first unacknowledged byte
        }
        _retryAt = -1;
        Output();
        if (_rtoAt < 0 && _sndUna != _sndMax) Arm(ref _rtoAt, now + _rto);
    }

    private void Keepalive(long now)
    {
        if (now - _lastHeard < Tcp.KeepIdleNs) { ArmKeepalive(); return; }
        if (++_keepProbes > Tcp.KeepProbes) { SendSegment(_sndMax, 0, TcpFlags.Rst | TcpFlags.Ack); Destroy(-Tcp.ETIMEDOUT); return; }
        SendSegment(_sndUna - 1, 0, TcpFlags.Ack);     // an old sequence number: the peer answers with an ACK
        Arm(ref _keepAt, now + Tcp.KeepIntervalNs);
    }
}
