using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Spindle.Machine.Cpu;

// The interpreter loop.
internal sealed unsafe partial class Interpreter
{
    // Runs until a trap or until 'budget' (> 0) instructions retired. Registers live in the pinned
    // register file; pc, the retired count and the current code page live in locals.
    // Outer loop, once per block: budget check, block lookup in the current page's table (a block of
    // an older code epoch is compared with memory in place; EnterSlow if it differs, is absent, or the
    // page is not current), and a cap of the block at the
    // remaining budget. Inner loop, once per instruction: dispatch only; pc is the block's start
    // and each instruction knows its offset (Decoded.Off). Only a block's last instruction can
    // transfer control. Stores to frames holding code always take the slow path (no TLB write tag)
    // and advance the code epoch; a slow-path store ends the block after itself, so the next
    // instruction is fetched (and its block revalidated) again. A trapping instruction retires nothing and
    // leaves pc on itself; x0 is re-zeroed at every block exit.
    // With TTier = Tiered (the compiling engine) the outer loop also counts each block's entries and enters the
    // compiled region starting at a block instead of interpreting it (EnterRegion); Untiered compiles to the
    // plain interpreter.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Trap Execute<TTier>(long budget) where TTier : struct, ITiering
    {
        ulong* x = _regs->X;
        ulong pc = _regs->Pc;
        Debug.Assert(x[0] == 0 && budget > 0 && (pc & 1) == 0, "Run zeroed x0; Hart.Run checked the budget and pc");
        long n = 0;
        ulong pageVa = NoPage(pc);
        Block** entries = s_noBlocks;
        Trap trap;

        for (; ; )
        {
            if (n >= budget) { trap = new Trap(TrapCause.Budget, pc); break; }
            ulong off = pc - pageVa;
            Block* b;
            if (off >= PageSize || (b = entries[off >> 1]) == null || (b->Epoch != _codeEpoch && !Revalidate(b, (int)off)))
            {
                if ((b = EnterSlow(pc)) == null) { trap = PendingTrap(pc); break; }
                pageVa = _enteredPage;
                entries = _enteredEntries;
            }
            if (TTier.Enabled && b->Bytes != 0)
            {
                if (b->Region == 0 && b->Hits++ == _regions!.Threshold) RequestRegion(b, pc);
                if (b->Region != 0)
                {
                    long r = EnterRegion(b, pc, budget - n, _hart.Retired + (ulong)n);
                    if (r != 0)
                    {
                        pc = _regs->Pc;
                        if (r < 0) { n += ~r; trap = PendingTrap(pc); break; }
                        n += r;
                        continue;
                    }
                }
            }
            Decoded* first = Block.First(b);
            Decoded* d = first;
            Decoded* end = first + (budget - n < b->Count ? (int)(budget - n) : b->Count);
            nuint h;

            do
            {
                switch (d->Op)
                {
                    case Op.Nop: case Op.Fence: break;
                    case Op.Lui: x[d->Rd] = (ulong)(long)d->Imm; break;
                    case Op.Auipc: x[d->Rd] = pc + d->Off + (ulong)(long)d->Imm; break;
                    case Op.Jal: x[d->Rd] = pc + d->Off + d->Len; pc += d->Off + (ulong)(long)d->Imm; goto jumped;
                    case Op.Jalr:
                        {
                            ulong target = (x[d->Rs1] + (ulong)(long)d->Imm) & ~1UL;
                            x[d->Rd] = pc + d->Off + d->Len;
                            pc = target;
                            goto jumped;
                        }
                    case Op.Beq: pc += d->Off + (x[d->Rs1] == x[d->Rs2] ? (ulong)(long)d->Imm : d->Len); goto jumped;
                    case Op.Bne: pc += d->Off + (x[d->Rs1] != x[d->Rs2] ? (ulong)(long)d->Imm : d->Len); goto jumped;
                    case Op.Blt: pc += d->Off + ((long)x[d->Rs1] < (long)x[d->Rs2] ? (ulong)(long)d->Imm : d->Len); goto jumped;
                    case Op.Bge: pc += d->Off + ((long)x[d->Rs1] >= (long)x[d->Rs2] ? (ulong)(long)d->Imm : d->Len); goto jumped;
                    case Op.Bltu: pc += d->Off + (x[d->Rs1] < x[d->Rs2] ? (ulong)(long)d->Imm : d->Len); goto jumped;
                    case Op.Bgeu: pc += d->Off + (x[d->Rs1] >= x[d->Rs2] ? (ulong)(long)d->Imm : d->Len); goto jumped;

                    case Op.Lb: { sbyte* p = LoadAddress<sbyte>(x[d->Rs1] + (ulong)(long)d->Imm); if (p == null) goto fault; x[d->Rd] = (ulong)*p; break; }
                    case Op.Lh: { short* p = LoadAddress<short>(x[d->Rs1] + (ulong)(long)d->Imm); if (p == null) goto fault; x[d->Rd] = (ulong)*p; break; }
                    case Op.Lw: { int* p = LoadAddress<int>(x[d->Rs1] + (ulong)(long)d->Imm); if (p == null) goto fault; x[d->Rd] = (ulong)*p; break; }
                    case Op.Ld: { ulong* p = LoadAddress<ulong>(x[d->Rs1] + (ulong)(long)d->Imm); if (p == null) goto fault; x[d->Rd] = *p; break; }
                    case Op.Lbu: { byte* p = LoadAddress<byte>(x[d->Rs1] + (ulong)(long)d->Imm); if (p == null) goto fault; x[d->Rd] = *p; break; }
                    case Op.Lhu: { ushort* p = LoadAddress<ushort>(x[d->Rs1] + (ulong)(long)d->Imm); if (p == null) goto fault; x[d->Rd] = *p; break; }
                    case Op.Lwu: { uint* p = LoadAddress<uint>(x[d->Rs1] + (ulong)(long)d->Imm); if (p == null) goto fault; x[d->Rd] = *p; break; }
                    case Op.Sb: h = Store(x[d->Rs1] + (ulong)(long)d->Imm, (byte)x[d->Rs2]); goto stored;
                    case Op.Sh: h = Store(x[d->Rs1] + (ulong)(long)d->Imm, (ushort)x[d->Rs2]); goto stored;
                    case Op.Sw: h = Store(x[d->Rs1] + (ulong)(long)d->Imm, (uint)x[d->Rs2]); goto stored;
                    case Op.Sd: h = Store(x[d->Rs1] + (ulong)(long)d->Imm, x[d->Rs2]); goto stored;

                    case Op.Addi: x[d->Rd] = x[d->Rs1] + (ulong)(long)d->Imm; break;
                    case Op.Slti: x[d->Rd] = (long)x[d->Rs1] < d->Imm ? 1UL : 0; break;
                    case Op.Sltiu: x[d->Rd] = x[d->Rs1] < (ulong)(long)d->Imm ? 1UL : 0; break;
                    case Op.Xori: x[d->Rd] = x[d->Rs1] ^ (ulong)(long)d->Imm; break;
                    case Op.Ori: x[d->Rd] = x[d->Rs1] | (ulong)(long)d->Imm; break;
                    case Op.Andi: x[d->Rd] = x[d->Rs1] & (ulong)(long)d->Imm; break;
                    case Op.Slli: x[d->Rd] = x[d->Rs1] << d->Imm; break;
                    case Op.Srli: x[d->Rd] = x[d->Rs1] >> d->Imm; break;
                    case Op.Srai: x[d->Rd] = (ulong)((long)x[d->Rs1] >> d->Imm); break;

                    case Op.Add: x[d->Rd] = x[d->Rs1] + x[d->Rs2]; break;
                    case Op.Sub: x[d->Rd] = x[d->Rs1] - x[d->Rs2]; break;
                    case Op.Sll: x[d->Rd] = x[d->Rs1] << (int)x[d->Rs2]; break;
                    case Op.Slt: x[d->Rd] = (long)x[d->Rs1] < (long)x[d->Rs2] ? 1UL : 0; break;
                    case Op.Sltu: x[d->Rd] = x[d->Rs1] < x[d->Rs2] ? 1UL : 0; break;
                    case Op.Xor: x[d->Rd] = x[d->Rs1] ^ x[d->Rs2]; break;
                    case Op.Srl: x[d->Rd] = x[d->Rs1] >> (int)x[d->Rs2]; break;
                    case Op.Sra: x[d->Rd] = (ulong)((long)x[d->Rs1] >> (int)x[d->Rs2]); break;
                    case Op.Or: x[d->Rd] = x[d->Rs1] | x[d->Rs2]; break;
                    case Op.And: x[d->Rd] = x[d->Rs1] & x[d->Rs2]; break;

                    case Op.Addiw: x[d->Rd] = (ulong)(int)(x[d->Rs1] + (ulong)(long)d->Imm); break;
                    case Op.Slliw: x[d->Rd] = (ulong)(int)((uint)x[d->Rs1] << d->Imm); break;
                    case Op.Srliw: x[d->Rd] = (ulong)(int)((uint)x[d->Rs1] >> d->Imm); break;
                    case Op.Sraiw: x[d->Rd] = (ulong)((int)x[d->Rs1] >> d->Imm); break;
                    case Op.Addw: x[d->Rd] = (ulong)(int)(x[d->Rs1] + x[d->Rs2]); break;
                    case Op.Subw: x[d->Rd] = (ulong)(int)(x[d->Rs1] - x[d->Rs2]); break;
                    case Op.Sllw: x[d->Rd] = (ulong)(int)((uint)x[d->Rs1] << (int)x[d->Rs2]); break;
                    case Op.Srlw: x[d->Rd] = (ulong)(int)((uint)x[d->Rs1] >> (int)x[d->Rs2]); break;
                    case Op.Sraw: x[d->Rd] = (ulong)((int)x[d->Rs1] >> (int)x[d->Rs2]); break;

                    case Op.Mul: x[d->Rd] = x[d->Rs1] * x[d->Rs2]; break;
                    case Op.Mulh: x[d->Rd] = Alu.Mulh(x[d->Rs1], x[d->Rs2]); break;
                    case Op.Mulhsu: x[d->Rd] = Alu.Mulhsu(x[d->Rs1], x[d->Rs2]); break;
                    case Op.Mulhu: x[d->Rd] = Alu.Mulhu(x[d->Rs1], x[d->Rs2]); break;
                    case Op.Div: x[d->Rd] = Alu.Div(x[d->Rs1], x[d->Rs2]); break;
                    case Op.Divu: x[d->Rd] = Alu.Divu(x[d->Rs1], x[d->Rs2]); break;
                    case Op.Rem: x[d->Rd] = Alu.Rem(x[d->Rs1], x[d->Rs2]); break;
                    case Op.Remu: x[d->Rd] = Alu.Remu(x[d->Rs1], x[d->Rs2]); break;
                    case Op.Mulw: x[d->Rd] = (ulong)(int)(x[d->Rs1] * x[d->Rs2]); break;
                    case Op.Divw: x[d->Rd] = Alu.Divw(x[d->Rs1], x[d->Rs2]); break;
                    case Op.Divuw: x[d->Rd] = Alu.Divuw(x[d->Rs1], x[d->Rs2]); break;
                    case Op.Remw: x[d->Rd] = Alu.Remw(x[d->Rs1], x[d->Rs2]); break;
                    case Op.Remuw: x[d->Rd] = Alu.Remuw(x[d->Rs1], x[d->Rs2]); break;

                    case Op.FenceI:     // frees this block: nothing may read d after the flush
                        pc += (ulong)d->Off + d->Len;
                        InvalidateCode();
                        entries = s_noBlocks;
                        pageVa = NoPage(pc);
                        goto jumped;
                    case Op.Ecall: Fault(TrapCause.Ecall); goto fault;
                    case Op.Ebreak: Fault(TrapCause.Breakpoint); goto fault;
                    case Op.Csr: if (!ExecCsr(d, _hart.Retired + (ulong)(n + (d - first)))) goto fault; break;
                    case Op.Atomic: if (!ExecAtomic(d)) goto fault; break;

                    case Op.Flw: { uint* p = LoadAddress<uint>(x[d->Rs1] + (ulong)(long)d->Imm); if (p == null) goto fault; _regs->F[d->Rd] = NanBox.Box(*p); break; }
                    case Op.Fld: { ulong* p = LoadAddress<ulong>(x[d->Rs1] + (ulong)(long)d->Imm); if (p == null) goto fault; _regs->F[d->Rd] = *p; break; }
                    case Op.Fsw: h = Store(x[d->Rs1] + (ulong)(long)d->Imm, (uint)_regs->F[d->Rs2]); goto stored;
                    case Op.Fsd: h = Store(x[d->Rs1] + (ulong)(long)d->Imm, _regs->F[d->Rs2]); goto stored;
                    case Op.Fp: if (!ExecFp(d)) goto fault; break;

                    default: Fault(TrapCause.IllegalInstruction, instruction: d->Raw); goto fault;
                }
                d++;
                continue;

            stored:
                if (h <= StoredSlow)
                {
                    if (h == 0) goto fault;
                    goto leave;
                }
                d++;
            } while (d < end);

            // Fell off the end (block end, or budget) after instruction d - 1.
            pc += (ulong)d[-1].Off + d[-1].Len;
            n += d - first;
            x[0] = 0;
            continue;

        leave:      // d was a slow-path store, which may have written code: refetch after it
            pc += (ulong)d->Off + d->Len;
            n += d - first + 1;
            x[0] = 0;
            continue;

        jumped:     // d transferred control; pc is its target
            n += d - first + 1;
            x[0] = 0;
            continue;

        fault:      // d trapped: it retires nothing and pc stays on it
            pc += d->Off;
            n += d - first;
            trap = PendingTrap(pc);
            break;
        }
        x[0] = 0;
        _regs->Pc = pc;
        _hart.Retired += (ulong)n;
        return trap;
    }

    // The trap recorded by Fault for the instruction at pc.
    private Trap PendingTrap(ulong pc) => new(_faultCause, pc, _faultAddress, _faultAccess, _faultInstruction);
}
