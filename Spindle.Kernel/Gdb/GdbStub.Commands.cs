using System.Globalization;
using System.Text;
using Spindle.Kernel.Trap;
using Spindle.Machine.Cpu;

namespace Spindle.Kernel.Gdb;

// The packets gdb sends while the program is stopped. Contract: the CPU's thread, the program stopped
// (_current is the thread of the stop); Serve returns when gdb resumes, detaches, kills, or goes away.
// Unknown packets get the empty reply, which gdb reads as "not supported".
public sealed unsafe partial class GdbStub
{
    private static readonly byte[] Ebreak = [0x73, 0x00, 0x10, 0x00], CompressedEbreak = [0x02, 0x90];

    private string StopReply() => $"T{_lastSignal:x2}thread:{_current.Id:x};";

    private void Serve()
    {
        while (true)
        {
            string? packet = _gdb!.Read();
            if (packet == null) { LetGo(); return; }
            if (packet == "\x03") continue;                     // already stopped
            switch (packet[0])
            {
                case 'c' or 'C':
                    _stepping = null;
                    return;
                case 's' or 'S':
                    _stepping = _current;
                    return;
                case 'v' when packet.StartsWith("vCont;", StringComparison.Ordinal):
                    if (Resume(packet.AsSpan(6))) return;
                    _gdb.Send("E16");
                    break;
                case 'D':
                    _gdb.Send("OK");
                    LetGo();
                    return;
                case 'k':
                    foreach (var t in _threads.ToArray()) t.Kill(SigKill);
                    LetGo();
                    return;
                default:
                    if (!_gdb.Send(Answer(packet))) { LetGo(); return; }
                    if (packet == "QStartNoAckMode") _gdb.NoAck = true;
                    break;
            }
        }
    }

    // vCont;ACTION[:TID];...: the first action naming a thread (or none) decides, as gdb sends at most one step.
    private bool Resume(ReadOnlySpan<char> actions)
    {
        _stepping = null;
        foreach (var range in actions.Split(';'))
        {
            var action = actions[range];
            if (action.IsEmpty || action[0] is not ('c' or 'C' or 's' or 'S')) return false;
            if (action[0] is 'c' or 'C') continue;
            int colon = action.IndexOf(':');
            var thread = colon < 0 ? _current : Thread(action[(colon + 1)..]);
            if (thread == null) return false;
            _stepping ??= thread;
        }
        return true;
    }

    private string Answer(string p)
    {
        var s = p.AsSpan();
        switch (p[0])
        {
            case '?': return StopReply();
            case 'g': return ReadRegisters();
            case 'G': return WriteRegisters(s[1..]);
            case 'p': return Hex.TryNumber(s[1..], out ulong n) ? ReadRegister((int)Math.Min(n, int.MaxValue)) : "E16";
            case 'P': return WriteRegister(s[1..]);
            case 'm': return ReadMemory(s[1..]);
            case 'M': return WriteMemory(s[1..]);
            case 'Z': return SetBreakpoint(s[1..], insert: true);
            case 'z': return SetBreakpoint(s[1..], insert: false);
            case 'H': return SelectThread(s);
            case 'T': return Thread(s[1..]) != null ? "OK" : "E01";
        }
        if (p.StartsWith("qSupported", StringComparison.Ordinal))
            return $"PacketSize={GdbConnection.PacketSize:x};qXfer:features:read+;qXfer:threads:read+;QStartNoAckMode+;vContSupported+";
        if (p.StartsWith("qXfer:features:read:target.xml:", StringComparison.Ordinal)) return Transfer(RiscvTargetDescription.Xml, s[31..]);
        if (p.StartsWith("qXfer:threads:read::", StringComparison.Ordinal)) return Transfer(ThreadsXml(), s[20..]);
        return p switch
        {
            "QStartNoAckMode" => "OK",
            "vCont?" => "vCont;c;C;s;S",
            "qAttached" => "1",
            "qC" => $"QC{_current.Id:x}",
            "qfThreadInfo" => "m" + string.Join(',', _threads.Select(t => t.Id.ToString("x", CultureInfo.InvariantCulture))),
            "qsThreadInfo" => "l",
            _ => "",
        };
    }

    // Hg (registers) and Hc (step and continue; gdb sends vCont with threads instead): 0 and -1 mean any thread.
    private string SelectThread(ReadOnlySpan<char> s)
    {
        if (s.Length < 3) return "E16";
        if (s[2..] is "0" or "-1") return "OK";
        var thread = Thread(s[2..]);
        if (thread == null) return "E01";
        if (s[1] == 'g') _selected = thread;
        return "OK";
    }

    private UserStrand? Thread(ReadOnlySpan<char> id)
    {
        if (id is "-1" or "0") return _current;
        if (!Hex.TryNumber(id, out ulong n)) return null;
        foreach (var t in _threads) if ((ulong)t.Id == n) return t;
        return null;
    }

    private string ThreadsXml()
    {
        var sb = new StringBuilder("<?xml version=\"1.0\"?><threads>");
        foreach (var t in _threads) sb.Append(CultureInfo.InvariantCulture, $"<thread id=\"{t.Id:x}\" core=\"0\"/>");
        return sb.Append("</threads>").ToString();
    }

    // qXfer's OFFSET,LENGTH window of a document: 'm' and a piece, or 'l' and the last piece.
    private static string Transfer(string document, ReadOnlySpan<char> window)
    {
        int comma = window.IndexOf(',');
        if (comma < 0 || !Hex.TryNumber(window[..comma], out ulong offset) || !Hex.TryNumber(window[(comma + 1)..], out ulong length)) return "E16";
        if (offset >= (ulong)document.Length) return "l";
        int take = (int)Math.Min(length, (ulong)document.Length - offset);
        bool last = offset + (ulong)take >= (ulong)document.Length;
        return (last ? "l" : "m") + document.Substring((int)offset, take);
    }

    private string ReadRegisters()
    {
        ref RegisterFile r = ref _selected.DebugRegisters;
        var sb = new StringBuilder(33 * 16);
        for (int i = 0; i < 32; i++) Hex.AppendLittle(sb, i == 0 ? 0 : r.X[i], 8);
        Hex.AppendLittle(sb, r.Pc, 8);
        return sb.ToString();
    }

    private string WriteRegisters(ReadOnlySpan<char> hex)
    {
        if (hex.Length < 33 * 16) return "E16";
        Span<ulong> values = stackalloc ulong[33];
        for (int i = 0; i < 33; i++)
            if (!Hex.TryLittle(hex.Slice(i * 16, 16), 8, out values[i])) return "E16";
        ref RegisterFile r = ref _selected.DebugRegisters;
        for (int i = 1; i < 32; i++) r.X[i] = values[i];
        r.Pc = values[32];
        return "OK";
    }

    private string ReadRegister(int n)
    {
        ref RegisterFile r = ref _selected.DebugRegisters;
        var sb = new StringBuilder(16);
        switch (n)
        {
            case < 32: Hex.AppendLittle(sb, n == 0 ? 0 : r.X[n], 8); break;
            case RiscvTargetDescription.Pc: Hex.AppendLittle(sb, r.Pc, 8); break;
            case < RiscvTargetDescription.FirstFloat + 32: Hex.AppendLittle(sb, r.F[n - RiscvTargetDescription.FirstFloat], 8); break;
            case RiscvTargetDescription.Fflags: Hex.AppendLittle(sb, r.Fcsr & 0x1f, 4); break;
            case RiscvTargetDescription.Frm: Hex.AppendLittle(sb, (r.Fcsr >> 5) & 7, 4); break;
            case RiscvTargetDescription.Fcsr: Hex.AppendLittle(sb, r.Fcsr & 0xff, 4); break;
            default: return "E45";
        }
        return sb.ToString();
    }

    private string WriteRegister(ReadOnlySpan<char> s)
    {
        int eq = s.IndexOf('=');
        if (eq < 0 || !Hex.TryNumber(s[..eq], out ulong n) || n > int.MaxValue) return "E16";
        var value = s[(eq + 1)..];
        int size = n is RiscvTargetDescription.Fflags or RiscvTargetDescription.Frm or RiscvTargetDescription.Fcsr ? 4 : 8;
        if (!Hex.TryLittle(value, size, out ulong v)) return "E16";
        ref RegisterFile r = ref _selected.DebugRegisters;
        switch ((int)n)
        {
            case 0: break;
            case < 32: r.X[(int)n] = v; break;
            case RiscvTargetDescription.Pc: r.Pc = v; break;
            case < RiscvTargetDescription.FirstFloat + 32: r.F[(int)n - RiscvTargetDescription.FirstFloat] = v; break;
            case RiscvTargetDescription.Fflags: r.Fcsr = (r.Fcsr & ~0x1fu) | ((uint)v & 0x1f); break;
            case RiscvTargetDescription.Frm: r.Fcsr = (r.Fcsr & 0x1f) | (((uint)v & 7) << 5); break;
            case RiscvTargetDescription.Fcsr: r.Fcsr = (uint)v & 0xff; break;
            default: return "E45";
        }
        return "OK";
    }

    private static bool TryRange(ReadOnlySpan<char> s, out ulong address, out int length)
    {
        address = 0;
        length = 0;
        int comma = s.IndexOf(',');
        if (comma < 0 || !Hex.TryNumber(s[..comma], out address) || !Hex.TryNumber(s[(comma + 1)..], out ulong n) || n > 0x2000) return false;
        length = (int)n;
        return true;
    }

    // m ADDR,LEN: the readable prefix of the range (gdb asks again for the rest); E14 if the first byte is not readable.
    private string ReadMemory(ReadOnlySpan<char> s)
    {
        if (!TryRange(s, out ulong address, out int length)) return "E16";
        var bytes = new byte[length];
        var space = _current.Space;
        int got = 0;
        if (!space.CopyIn(address, bytes))
            while (got < length && space.CopyIn(address + (ulong)got, bytes.AsSpan(got, 1))) got++;
        else got = length;
        if (got == 0 && length > 0) return "E14";
        var sb = new StringBuilder(got * 2);
        Hex.Append(sb, bytes.AsSpan(0, got));
        return sb.ToString();
    }

    // M ADDR,LEN:BYTES, written whatever the page's rights (as ptrace's POKEDATA); the compiled code is dropped.
    private string WriteMemory(ReadOnlySpan<char> s)
    {
        int colon = s.IndexOf(':');
        if (colon < 0 || !TryRange(s[..colon], out ulong address, out int length)) return "E16";
        var bytes = new byte[length];
        if (!Hex.TryBytes(s[(colon + 1)..], bytes)) return "E16";
        if (!_current.Space.Poke(address, bytes)) return "E14";
        _machine.Hart.FlushDecodedCode();
        return "OK";
    }

    // Z0/Z1 ADDR,KIND (a software or "hardware" breakpoint: both are ebreaks here); KIND 2 is c.ebreak.
    private string SetBreakpoint(ReadOnlySpan<char> s, bool insert)
    {
        if (s.Length < 2 || s[0] is not ('0' or '1') || s[1] != ',') return "";
        var rest = s[2..];
        int comma = rest.IndexOf(',');
        if (comma < 0 || !Hex.TryNumber(rest[..comma], out ulong address) || !Hex.TryNumber(rest[(comma + 1)..], out ulong kind) || kind is not (2 or 4))
            return "E16";
        var space = _current.Space;
        if (!insert)
        {
            if (_breakpoints.Remove(address, out byte[]? saved)) space.Poke(address, saved);
        }
        else if (!_breakpoints.ContainsKey(address))
        {
            var saved = new byte[kind];
            if (!space.CopyIn(address, saved) || !space.Poke(address, kind == 2 ? CompressedEbreak : Ebreak)) return "E14";
            _breakpoints[address] = saved;
        }
        _machine.Hart.FlushDecodedCode();
        return "OK";
    }

    private void RemoveAllBreakpoints()
    {
        if (_breakpoints.Count == 0) return;
        var space = _current.Space;
        foreach (var (address, saved) in _breakpoints) space.Poke(address, saved);
        _breakpoints.Clear();
        _machine.Hart.FlushDecodedCode();
    }
}
