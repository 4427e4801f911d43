using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Cpu.Jit;

/// <summary>
/// Translates a region (<see cref="RegionScan"/>) to one IL method (<see cref="RegionCode"/>) that the runtime's JIT
/// compiles. The method holds every guest integer register the region names in a local (loaded on entry, written
/// back at every exit and around the helpers that read or write the register file); f registers stay in the
/// register file. Control: each basic block starts with a budget check (the whole block must fit in what is left,
/// else the region leaves at the block's start and the interpreter finishes the budget exactly); branches and jal
/// inside the region are IL branches, anything else leaves the region with the guest pc. Memory: the TLB compare is
/// inline, the interpreter's slow paths are called out of line (emitted after the body). Traps: the trapping
/// instruction's pc and the count before it are returned, with every register as before it (precise).
/// A store that took the slow path and may have written code leaves the region after itself (the engine contract's
/// self-modifying code rule), as the interpreter leaves its block. Pure: runs on any thread, reads only its arguments.
/// </summary>
internal sealed unsafe partial class RegionCompiler
{
    private const short ArgCpu = 0, ArgRegs = 1, ArgPc = 2, ArgLeft = 3, ArgRetiredBase = 4;

    private static readonly int OffF, OffPc, OffReadTag, OffWriteTag, OffAddend;

    static RegionCompiler()
    {
        RegisterFile r = default;
        OffF = (int)((byte*)r.F - (byte*)&r);
        OffPc = (int)((byte*)&r.Pc - (byte*)&r);
        TlbEntry e = default;
        OffReadTag = (int)((byte*)&e.ReadTag - (byte*)&e);
        OffWriteTag = (int)((byte*)&e.WriteTag - (byte*)&e);
        OffAddend = (int)((byte*)&e.Addend - (byte*)&e);
    }

    private readonly ILGenerator _il;
    private readonly SortedList<int, Decoded> _code;
    private readonly int _head;
    private readonly Decoded* _pinned;
    private readonly LocalBuilder?[] _x = new LocalBuilder?[32];
    private readonly bool[] _written = new bool[32];
    private readonly LocalBuilder _left, _pageBase, _exitPc, _exitAdj, _va, _entry, _tlb, _tmp, _ptr, _status;
    private readonly Dictionary<int, Label> _labels = new();
    private readonly List<Action> _cold = new();
    private readonly Label _normalExit, _trapExit;
    private int _blockCount, _index;    // the current basic block's length, and the index in it of the instruction emitted
    private bool[]? _leaders;           // per instruction (in offset order): starts a basic block
    private readonly int[] _returnSites;    // offsets in the region just after a call (jal/jalr linking ra or t0)

    // Most return sites a return compares its target with.
    private const int MaxReturnSites = 8;

    private RegionCompiler(ILGenerator il, SortedList<int, Decoded> code, int head, Decoded* pinned)
    {
        _il = il;
        _code = code;
        _head = head;
        _pinned = pinned;
        _left = il.DeclareLocal(typeof(long));
        _pageBase = il.DeclareLocal(typeof(ulong));
        _exitPc = il.DeclareLocal(typeof(ulong));
        _exitAdj = il.DeclareLocal(typeof(long));
        _va = il.DeclareLocal(typeof(ulong));
        _entry = il.DeclareLocal(typeof(nint));
        _tlb = il.DeclareLocal(typeof(nint));
        _tmp = il.DeclareLocal(typeof(ulong));
        _ptr = il.DeclareLocal(typeof(nint));
        _status = il.DeclareLocal(typeof(int));
        _normalExit = il.DefineLabel();
        _trapExit = il.DefineLabel();
        foreach (Decoded d in code.Values)
            foreach (byte r in (ReadOnlySpan<byte>)[d.Rd, d.Rs1, d.Rs2])
                if (r != 0) _x[r] ??= il.DeclareLocal(typeof(ulong));
        _returnSites = code.Where(c => c.Value.Op is Op.Jal or Op.Jalr && c.Value.Rd is 1 or 5 && code.ContainsKey(c.Key + c.Value.Len))
            .Select(c => c.Key + c.Value.Len).Distinct().Take(MaxReturnSites).ToArray();
    }

    /// <summary>Scans and compiles the region (of at most <paramref name="maxInstructions"/>) of the frame snapshot
    /// <paramref name="page"/> starting at <paramref name="head"/>, to run on <paramref name="owner"/>.</summary>
    public static Region Compile(Interpreter owner, uint frame, int head, byte[] page, ulong epoch, int maxInstructions)
    {
        SortedList<int, Decoded> code = RegionScan.Scan(page, head, maxInstructions);
        int start = code.Count == 0 ? head : code.Keys[0];
        int end = code.Count == 0 ? head : code.Select(c => c.Key + c.Value.Len).Max();
        var region = new Region(frame, head, start, page[start..end], epoch, code.Count)
        {
            Pinned = GC.AllocateArray<Decoded>(code.Count, pinned: true),
        };
        code.Values.CopyTo(region.Pinned, 0);
        var method = new DynamicMethod($"rv_{frame:x}_{head:x}", typeof(long),
            [typeof(Interpreter), typeof(RegisterFile*), typeof(ulong), typeof(long), typeof(ulong)],
            typeof(RegionCompiler).Module, skipVisibility: true);
        fixed (Decoded* pinned = region.Pinned)     // already pinned for the region's life; fixed only names its address
            new RegionCompiler(method.GetILGenerator(), code, head, pinned).Emit();
        region.Code = method.CreateDelegate<RegionCode>(owner);     // closed over the interpreter: no shuffle thunk
        return region;
    }

    private void Emit()
    {
        // Prologue: the page's virtual base, the budget, the TLB, the registers.
        _il.Emit(OpCodes.Ldarg_S, ArgPc);
        _il.Emit(OpCodes.Ldc_I8, (long)_head);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stloc, _pageBase);
        _il.Emit(OpCodes.Ldarg_S, ArgLeft);
        _il.Emit(OpCodes.Stloc, _left);
        _il.Emit(OpCodes.Ldarg_S, ArgCpu);
        _il.Emit(OpCodes.Call, Helpers.CurrentTlb);
        _il.Emit(OpCodes.Stloc, _tlb);
        for (int r = 1; r < 32; r++)
        {
            if (_x[r] == null) continue;
            RegisterAddress(r * 8);
            _il.Emit(OpCodes.Ldind_I8);
            _il.Emit(OpCodes.Stloc, _x[r]!);
        }
        _blockCount = 1;
        _index = 0;
        _il.Emit(OpCodes.Br, Target(_head));

        _leaders = Leaders();
        for (int i = 0; i < _code.Count; i++)
        {
            int o = _code.Keys[i];
            Decoded d = _code.Values[i];
            if (_leaders[i]) StartBlock(i);
            bool fallsThrough = EmitInstruction(o, d, i);
            if (fallsThrough && !(i + 1 < _code.Count && _code.Keys[i + 1] == o + d.Len))
                _il.Emit(OpCodes.Br, Target(o + d.Len));
            _index++;
        }
        for (int i = 0; i < _cold.Count; i++) _cold[i]();    // slow paths and exits; may add more
        Epilogue(_normalExit, trap: false);
        Epilogue(_trapExit, trap: true);
    }

    // An instruction starts a basic block if it is the head, a jump target, or not reached by falling through from
    // the instruction before it in the emitted order.
    private bool[] Leaders()
    {
        var targets = new HashSet<int> { _head };
        foreach (var (o, d) in _code)
            if (IsBranch(d.Op) || d.Op == Op.Jal) targets.Add(o + d.Imm);
        var leader = new bool[_code.Count];
        for (int i = 0; i < _code.Count; i++)
        {
            int o = _code.Keys[i];
            bool fallenInto = i > 0 && _code.Keys[i - 1] + _code.Values[i - 1].Len == o && !EndsStraightLine(_code.Values[i - 1].Op);
            leader[i] = !fallenInto || targets.Contains(o);
        }
        return leader;
    }

    // Marks the block's label and checks that the whole block fits in the budget left; leaves before it if not.
    private void StartBlock(int i)
    {
        int o = _code.Keys[i];
        int n = 1;
        while (i + n < _code.Count && !_leaders![i + n]) n++;
        _il.MarkLabel(Target(o));
        _blockCount = n;
        _index = 0;
        _il.Emit(OpCodes.Ldloc, _left);
        _il.Emit(OpCodes.Ldc_I8, (long)n);
        _il.Emit(OpCodes.Blt, Exit(o, adj: 0, trap: false));
        _il.Emit(OpCodes.Ldloc, _left);
        _il.Emit(OpCodes.Ldc_I8, (long)n);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Stloc, _left);
    }

    private static bool IsBranch(Op op) => op is Op.Beq or Op.Bne or Op.Blt or Op.Bge or Op.Bltu or Op.Bgeu;

    // Instructions after which the next in memory is not reached by falling through (or is a block of its own).
    private static bool EndsStraightLine(Op op) => IsBranch(op) || op is Op.Jal or Op.Jalr or Op.Ecall or Op.Ebreak or Op.FenceI or Op.Illegal;

    // Uncounted instructions of the current block: after a trap at the instruction being emitted (before), or
    // after it completed (after).
    private long AdjBefore => _blockCount - _index;
    private long AdjAfter => _blockCount - _index - 1;

    // The label of region offset o if the region holds it (it is then a leader), else an exit to pc o.
    private Label Target(long o) =>
        RegionScan.InFrame(o) && _code.ContainsKey((int)o) ? Label((int)o) : Exit(o, AdjAfter, trap: false);

    private Label Label(int o)
    {
        if (!_labels.TryGetValue(o, out Label l)) _labels[o] = l = _il.DefineLabel();
        return l;
    }

    // An out-of-line exit stub: pc = page base + o, `adj` instructions of the current block not retired.
    private Label Exit(long o, long adj, bool trap)
    {
        Label l = _il.DefineLabel();
        _cold.Add(() =>
        {
            _il.MarkLabel(l);
            Pc(o);
            _il.Emit(OpCodes.Stloc, _exitPc);
            _il.Emit(OpCodes.Ldc_I8, adj);
            _il.Emit(OpCodes.Stloc, _exitAdj);
            _il.Emit(OpCodes.Br, trap ? _trapExit : _normalExit);
        });
        return l;
    }

    // Writes back every register the region wrote (and x0 as 0: helpers may have written it), sets pc, and returns
    // the retired count (its complement after a trap).
    private void Epilogue(Label exit, bool trap)
    {
        _il.MarkLabel(exit);
        for (int r = 1; r < 32; r++) if (_written[r]) Flush(r);
        RegisterAddress(0);
        _il.Emit(OpCodes.Ldc_I8, 0L);
        _il.Emit(OpCodes.Stind_I8);
        RegisterAddress(OffPc);
        _il.Emit(OpCodes.Ldloc, _exitPc);
        _il.Emit(OpCodes.Stind_I8);
        _il.Emit(OpCodes.Ldarg_S, ArgLeft);
        _il.Emit(OpCodes.Ldloc, _left);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Ldloc, _exitAdj);
        _il.Emit(OpCodes.Sub);
        if (trap) _il.Emit(OpCodes.Not);
        _il.Emit(OpCodes.Ret);
    }

    // Pushes the guest pc of region offset o (page base + o; o may lie outside the frame for an exit).
    private void Pc(long o)
    {
        _il.Emit(OpCodes.Ldloc, _pageBase);
        _il.Emit(OpCodes.Ldc_I8, o);
        _il.Emit(OpCodes.Add);
    }

    // Pushes the address of byte `offset` of the register file.
    private void RegisterAddress(int offset)
    {
        _il.Emit(OpCodes.Ldarg_S, ArgRegs);
        _il.Emit(OpCodes.Ldc_I4, offset);
        _il.Emit(OpCodes.Add);
    }

    private void LdX(int r)
    {
        if (r == 0) _il.Emit(OpCodes.Ldc_I8, 0L);
        else _il.Emit(OpCodes.Ldloc, _x[r]!);
    }

    // Stores the value on the stack to x[r] (dropped for x0).
    private void StX(int r)
    {
        if (r == 0) { _il.Emit(OpCodes.Pop); return; }
        _il.Emit(OpCodes.Stloc, _x[r]!);
        _written[r] = true;
    }

    // Writes x[r]'s local to the register file (before a helper reads it).
    private void Flush(int r)
    {
        if (r == 0) return;
        RegisterAddress(r * 8);
        _il.Emit(OpCodes.Ldloc, _x[r]!);
        _il.Emit(OpCodes.Stind_I8);
    }

    // After a helper wrote x[r] in the register file: reloads its local (x0: sets the register file's x0 back to 0).
    private void Reload(int r)
    {
        RegisterAddress(r * 8);
        if (r == 0)
        {
            _il.Emit(OpCodes.Ldc_I8, 0L);
            _il.Emit(OpCodes.Stind_I8);
            return;
        }
        _il.Emit(OpCodes.Ldind_I8);
        _il.Emit(OpCodes.Stloc, _x[r]!);
    }

    // Pushes the address of the region's pinned copy of instruction i.
    private void DecodedAddress(int i)
    {
        _il.Emit(OpCodes.Ldc_I8, (long)(_pinned + i));
        _il.Emit(OpCodes.Conv_U);
    }

    /// <summary>The interpreter members compiled code calls.</summary>
    private static class Helpers
    {
        private const BindingFlags Any = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        public static readonly MethodInfo CurrentTlb = typeof(Interpreter).GetProperty(nameof(Interpreter.CurrentTlb), Any)!.GetMethod!;
        public static readonly MethodInfo LoadSlow = Get("LoadSlow");
        public static readonly MethodInfo StoreSlow = Get(nameof(Interpreter.CompiledStoreSlow));
        public static readonly MethodInfo Trap = Get(nameof(Interpreter.CompiledTrap));
        public static readonly MethodInfo Atomic = Get(nameof(Interpreter.CompiledAtomic));
        public static readonly MethodInfo Csr = Get("ExecCsr");
        public static readonly MethodInfo Fp = Get("ExecFp");

        private static MethodInfo Get(string name) =>
            typeof(Interpreter).GetMethod(name, Any) ?? throw new UnreachableException($"Interpreter.{name} is gone");

        public static MethodInfo Alu(string name) =>
            typeof(Alu).GetMethod(name, BindingFlags.Static | BindingFlags.Public) ?? throw new UnreachableException($"Alu.{name} is gone");
    }
}
