namespace Spindle.Machine.Cpu;

// The A extension: LR/SC and AMOs (aq/rl are accepted and need nothing on one hart).
internal sealed unsafe partial class Interpreter
{
    // Executes one LR/SC/AMO. Misaligned addresses trap (MisalignedAccess); AMOs and SC need write
    // permission. A failed SC writes 1 to rd without touching memory; a successful one writes 0.
    // Returns false with the trap recorded; registers, memory and the reservation are then unchanged.
    private bool ExecAtomic(Decoded* d)
    {
        ulong* x = _regs->X;
        bool wide = (d->Imm & (int)AtomicOp.Double) != 0;
        var op = (AtomicOp)(d->Imm & 0x1F);
        int size = wide ? 8 : 4;
        ulong va = x[d->Rs1];
        AccessKind kind = op == AtomicOp.Lr ? AccessKind.Read : AccessKind.Write;
        if ((va & (ulong)(size - 1)) != 0) return Fault(TrapCause.MisalignedAccess, va, kind);

        if (op == AtomicOp.Sc && !(_reserved && _reservedAddress == va && _reservedSize == size))
        {
            _reserved = false;
            x[d->Rd] = 1;
            return true;
        }
        byte* p = HostAddress(va, kind);
        if (p == null) return false;
        ulong src = x[d->Rs2];
        switch (op)
        {
            case AtomicOp.Lr:
                x[d->Rd] = wide ? *(ulong*)p : (ulong)*(int*)p;
                _reserved = true;
                _reservedAddress = va;
                _reservedSize = size;
                return true;
            case AtomicOp.Sc:
                if (wide) *(ulong*)p = src; else *(uint*)p = (uint)src;
                _reserved = false;
                x[d->Rd] = 0;
                return true;
        }
        if (wide)
        {
            ref long cell = ref *(long*)p;
            long old;
            do old = Volatile.Read(ref cell);
            while (Interlocked.CompareExchange(ref cell, (long)Amo64(op, (ulong)old, src), old) != old);
            x[d->Rd] = (ulong)old;
        }
        else
        {
            ref int cell = ref *(int*)p;
            int old;
            do old = Volatile.Read(ref cell);
            while (Interlocked.CompareExchange(ref cell, (int)Amo32(op, (uint)old, (uint)src), old) != old);
            x[d->Rd] = (ulong)(long)old;
        }
        return true;
    }

    // The new memory value of a 64-bit AMO.
    private static ulong Amo64(AtomicOp op, ulong mem, ulong src) => op switch
    {
        AtomicOp.Swap => src,
        AtomicOp.Add => mem + src,
        AtomicOp.Xor => mem ^ src,
        AtomicOp.And => mem & src,
        AtomicOp.Or => mem | src,
        AtomicOp.Min => (long)mem < (long)src ? mem : src,
        AtomicOp.Max => (long)mem > (long)src ? mem : src,
        AtomicOp.MinU => mem < src ? mem : src,
        _ => mem > src ? mem : src, // MaxU
    };

    // The new memory value of a 32-bit AMO.
    private static uint Amo32(AtomicOp op, uint mem, uint src) => op switch
    {
        AtomicOp.Swap => src,
        AtomicOp.Add => mem + src,
        AtomicOp.Xor => mem ^ src,
        AtomicOp.And => mem & src,
        AtomicOp.Or => mem | src,
        AtomicOp.Min => (int)mem < (int)src ? mem : src,
        AtomicOp.Max => (int)mem > (int)src ? mem : src,
        AtomicOp.MinU => mem < src ? mem : src,
        _ => mem > src ? mem : src, // MaxU
    };
}
