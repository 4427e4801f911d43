namespace Spindle.Machine.Cpu;

// Zicsr for the user CSRs: fflags, frm, fcsr (read-write); cycle, time, instret (read-only).
internal sealed unsafe partial class Interpreter
{
    // Executes CSRRW/S/C[I]. 'retired' is the instruction count before this one (cycle and instret).
    // Returns false (IllegalInstruction recorded) for an unknown CSR or a write to a read-only one;
    // rd and the CSR are then unchanged.
    private bool ExecCsr(Decoded* d, ulong retired)
    {
        RegisterFile* r = _regs;
        int csr = d->Imm & 0xFFF;
        int kind = d->Rm & 3;                                      // 1 rw, 2 rs, 3 rc
        ulong src = (d->Rm & 4) != 0 ? d->Rs1 : r->X[d->Rs1];      // uimm or register
        bool writes = kind == 1 || d->Rs1 != 0;
        ulong old;
        switch (csr)
        {
            case Hart.CsrFflags: old = r->Fcsr & 0x1F; break;
            case Hart.CsrFrm: old = (r->Fcsr >> 5) & 7; break;
            case Hart.CsrFcsr: old = r->Fcsr & 0xFF; break;
            case Hart.CsrCycle: case Hart.CsrInstret: old = retired; break;
            case Hart.CsrTime: old = _hart.TimeTicks(); break;
            default: return Fault(TrapCause.IllegalInstruction, instruction: d->Raw);
        }
        if (writes)
        {
            if (csr >= Hart.CsrCycle) return Fault(TrapCause.IllegalInstruction, instruction: d->Raw);
            ulong value = kind switch { 1 => src, 2 => old | src, _ => old & ~src };
            r->Fcsr = csr switch
            {
                Hart.CsrFflags => (r->Fcsr & ~0x1Fu) | (uint)(value & 0x1F),
                Hart.CsrFrm => (r->Fcsr & ~0xE0u) | (uint)(value & 7) << 5,
                _ => (uint)(value & 0xFF),
            };
        }
        r->X[d->Rd] = old;
        return true;
    }
}
