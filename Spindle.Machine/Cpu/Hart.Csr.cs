namespace Spindle.Machine.Cpu;

// Zicsr for the user CSRs: fflags, frm, fcsr (read-write); cycle, time, instret (read-only).
public sealed unsafe partial class Hart
{
    public const int CsrFflags = 0x001, CsrFrm = 0x002, CsrFcsr = 0x003;
    public const int CsrCycle = 0xC00, CsrTime = 0xC01, CsrInstret = 0xC02;

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
            case CsrFflags: old = r->Fcsr & 0x1F; break;
            case CsrFrm: old = (r->Fcsr >> 5) & 7; break;
            case CsrFcsr: old = r->Fcsr & 0xFF; break;
            case CsrCycle: case CsrInstret: old = retired; break;
            case CsrTime: old = TimeTicks(); break;
            default: return Fault(TrapCause.IllegalInstruction, instruction: d->Raw);
        }
        if (writes)
        {
            if (csr >= CsrCycle) return Fault(TrapCause.IllegalInstruction, instruction: d->Raw);
            ulong value = kind switch { 1 => src, 2 => old | src, _ => old & ~src };
            r->Fcsr = csr switch
            {
                CsrFflags => (r->Fcsr & ~0x1Fu) | (uint)(value & 0x1F),
                CsrFrm => (r->Fcsr & ~0xE0u) | (uint)(value & 7) << 5,
                _ => (uint)(value & 0xFF),
            };
        }
        r->X[d->Rd] = old;
        return true;
    }
}
