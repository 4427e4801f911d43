namespace Spindle.Machine.Cpu;

/// <summary>
/// RV64GC instruction decoder: turns instruction bits into a <see cref="Decoded"/> entry.
/// Pure function of the bits (never of the pc), so entries can be shared by every mapping of a frame.
/// Unknown or reserved encodings decode to <see cref="Op.Illegal"/>.
/// </summary>
internal static partial class Decoder
{
    /// <summary>Decodes the instruction whose first halfword is the low 16 bits of <paramref name="w"/>.
    /// If those bits say "32-bit instruction", all of <paramref name="w"/> is used.</summary>
    public static Decoded Decode(uint w) => (w & 3) == 3 ? Decode32(w) : DecodeCompressed((ushort)w);

    // Builds an entry for a 32-bit instruction.
    private static Decoded Make(uint w, Op op, int rd, int rs1, int rs2, int imm) => new()
    {
        Raw = w, Op = op, Rd = (byte)rd, Rs1 = (byte)rs1, Rs2 = (byte)rs2, Rs3 = (byte)(w >> 27),
        Rm = (byte)((w >> 12) & 7), Imm = imm, Len = 4,
    };

    private static Decoded Illegal32(uint w) => new() { Raw = w, Op = Op.Illegal, Len = 4 };

    // Decodes a 32-bit instruction (low two bits are 11).
    private static Decoded Decode32(uint w)
    {
        int rd = (int)(w >> 7) & 31, rs1 = (int)(w >> 15) & 31, rs2 = (int)(w >> 20) & 31;
        int f3 = (int)(w >> 12) & 7, f7 = (int)(w >> 25);
        int immI = (int)w >> 20;
        int immS = ((int)w >> 25 << 5) | (int)((w >> 7) & 31);
        int immB = ((int)w >> 31 << 12) | (int)((w >> 7 & 1) << 11) | (int)((w >> 25 & 0x3F) << 5) | (int)((w >> 8 & 0xF) << 1);
        int immU = (int)(w & 0xFFFFF000);
        int immJ = ((int)w >> 31 << 20) | (int)(w & 0xFF000) | (int)((w >> 20 & 1) << 11) | (int)((w >> 21 & 0x3FF) << 1);

        switch (w & 0x7F)
        {
            case 0x37: return Make(w, Op.Lui, rd, 0, 0, immU);
            case 0x17: return Make(w, Op.Auipc, rd, 0, 0, immU);
            case 0x6F: return Make(w, Op.Jal, rd, 0, 0, immJ);
            case 0x67: return f3 == 0 ? Make(w, Op.Jalr, rd, rs1, 0, immI) : Illegal32(w);
            case 0x63:
                return f3 switch
                {
                    0 => Make(w, Op.Beq, 0, rs1, rs2, immB),
                    1 => Make(w, Op.Bne, 0, rs1, rs2, immB),
                    4 => Make(w, Op.Blt, 0, rs1, rs2, immB),
                    5 => Make(w, Op.Bge, 0, rs1, rs2, immB),
                    6 => Make(w, Op.Bltu, 0, rs1, rs2, immB),
                    7 => Make(w, Op.Bgeu, 0, rs1, rs2, immB),
                    _ => Illegal32(w),
                };
            case 0x03:
                return f3 switch
                {
                    0 => Make(w, Op.Lb, rd, rs1, 0, immI),
                    1 => Make(w, Op.Lh, rd, rs1, 0, immI),
                    2 => Make(w, Op.Lw, rd, rs1, 0, immI),
                    3 => Make(w, Op.Ld, rd, rs1, 0, immI),
                    4 => Make(w, Op.Lbu, rd, rs1, 0, immI),
                    5 => Make(w, Op.Lhu, rd, rs1, 0, immI),
                    6 => Make(w, Op.Lwu, rd, rs1, 0, immI),
                    _ => Illegal32(w),
                };
            case 0x23:
                return f3 switch
                {
                    0 => Make(w, Op.Sb, 0, rs1, rs2, immS),
                    1 => Make(w, Op.Sh, 0, rs1, rs2, immS),
                    2 => Make(w, Op.Sw, 0, rs1, rs2, immS),
                    3 => Make(w, Op.Sd, 0, rs1, rs2, immS),
                    _ => Illegal32(w),
                };
            case 0x13:
                switch (f3)
                {
                    case 0: return Make(w, Op.Addi, rd, rs1, 0, immI);
                    case 1: return (w >> 26) == 0 ? Make(w, Op.Slli, rd, rs1, 0, immI & 63) : Illegal32(w);
                    case 2: return Make(w, Op.Slti, rd, rs1, 0, immI);
                    case 3: return Make(w, Op.Sltiu, rd, rs1, 0, immI);
                    case 4: return Make(w, Op.Xori, rd, rs1, 0, immI);
                    case 5:
                        return (w >> 26) switch
                        {
                            0 => Make(w, Op.Srli, rd, rs1, 0, immI & 63),
                            0x10 => Make(w, Op.Srai, rd, rs1, 0, immI & 63),
                            _ => Illegal32(w),
                        };
                    case 6: return Make(w, Op.Ori, rd, rs1, 0, immI);
                    default: return Make(w, Op.Andi, rd, rs1, 0, immI);
                }
            case 0x1B:
                return (f3, f7) switch
                {
                    (0, _) => Make(w, Op.Addiw, rd, rs1, 0, immI),
                    (1, 0) => Make(w, Op.Slliw, rd, rs1, 0, rs2),
                    (5, 0) => Make(w, Op.Srliw, rd, rs1, 0, rs2),
                    (5, 0x20) => Make(w, Op.Sraiw, rd, rs1, 0, rs2),
                    _ => Illegal32(w),
                };
            case 0x33:
                {
                    Op op = (f7, f3) switch
                    {
                        (0, 0) => Op.Add, (0x20, 0) => Op.Sub, (0, 1) => Op.Sll, (0, 2) => Op.Slt,
                        (0, 3) => Op.Sltu, (0, 4) => Op.Xor, (0, 5) => Op.Srl, (0x20, 5) => Op.Sra,
                        (0, 6) => Op.Or, (0, 7) => Op.And,
                        (1, 0) => Op.Mul, (1, 1) => Op.Mulh, (1, 2) => Op.Mulhsu, (1, 3) => Op.Mulhu,
                        (1, 4) => Op.Div, (1, 5) => Op.Divu, (1, 6) => Op.Rem, (1, 7) => Op.Remu,
                        _ => Op.Illegal,
                    };
                    return op == Op.Illegal ? Illegal32(w) : Make(w, op, rd, rs1, rs2, 0);
                }
            case 0x3B:
                {
                    Op op = (f7, f3) switch
                    {
                        (0, 0) => Op.Addw, (0x20, 0) => Op.Subw, (0, 1) => Op.Sllw, (0, 5) => Op.Srlw,
                        (0x20, 5) => Op.Sraw,
                        (1, 0) => Op.Mulw, (1, 4) => Op.Divw, (1, 5) => Op.Divuw, (1, 6) => Op.Remw, (1, 7) => Op.Remuw,
                        _ => Op.Illegal,
                    };
                    return op == Op.Illegal ? Illegal32(w) : Make(w, op, rd, rs1, rs2, 0);
                }
            case 0x0F:
                return f3 switch
                {
                    0 => Make(w, Op.Fence, 0, 0, 0, 0),
                    1 => Make(w, Op.FenceI, 0, 0, 0, 0),
                    _ => Illegal32(w),
                };
            case 0x73:
                if (f3 == 0)
                {
                    if (w == 0x00000073) return Make(w, Op.Ecall, 0, 0, 0, 0);
                    if (w == 0x00100073) return Make(w, Op.Ebreak, 0, 0, 0, 0);
                    return Illegal32(w);
                }
                return f3 == 4 ? Illegal32(w) : Make(w, Op.Csr, rd, rs1, 0, (int)(w >> 20));
            case 0x2F: return DecodeAtomic(w, rd, rs1, rs2, f3);
            case 0x07:
                return f3 switch
                {
                    2 => Make(w, Op.Flw, rd, rs1, 0, immI),
                    3 => Make(w, Op.Fld, rd, rs1, 0, immI),
                    _ => Illegal32(w),
                };
            case 0x27:
                return f3 switch
                {
                    2 => Make(w, Op.Fsw, 0, rs1, rs2, immS),
                    3 => Make(w, Op.Fsd, 0, rs1, rs2, immS),
                    _ => Illegal32(w),
                };
            case 0x43: case 0x47: case 0x4B: case 0x4F: return DecodeFused(w, rd, rs1, rs2, f3);
            case 0x53: return DecodeOpFp(w, rd, rs1, rs2, f3, f7);
            default: return Illegal32(w);
        }
    }

    // LR/SC/AMO (opcode 0x2F): width from funct3, operation from funct5; aq/rl ignored.
    private static Decoded DecodeAtomic(uint w, int rd, int rs1, int rs2, int f3)
    {
        if (f3 != 2 && f3 != 3) return Illegal32(w);
        int f5 = (int)(w >> 27);
        switch ((AtomicOp)f5)
        {
            case AtomicOp.Lr: if (rs2 != 0) return Illegal32(w); break;
            case AtomicOp.Add: case AtomicOp.Swap: case AtomicOp.Sc: case AtomicOp.Xor: case AtomicOp.Or:
            case AtomicOp.And: case AtomicOp.Min: case AtomicOp.Max: case AtomicOp.MinU: case AtomicOp.MaxU: break;
            default: return Illegal32(w);
        }
        return Make(w, Op.Atomic, rd, rs1, rs2, f5 | (f3 == 3 ? (int)AtomicOp.Double : 0));
    }

    // True if rm is a valid static rounding mode or 7 (dynamic).
    private static bool ValidRm(int rm) => rm <= 4 || rm == 7;

    // FMADD/FMSUB/FNMSUB/FNMADD (R4 format).
    private static Decoded DecodeFused(uint w, int rd, int rs1, int rs2, int rm)
    {
        int fmt = (int)(w >> 25) & 3;
        if (fmt > 1 || !ValidRm(rm)) return Illegal32(w);
        int k = (int)((w >> 2) & 3); // 0 madd, 1 msub, 2 nmsub, 3 nmadd
        FpOp op = (fmt == 0 ? FpOp.MaddS : FpOp.MaddD) + k;
        return Make(w, Op.Fp, rd, rs1, rs2, (int)op);
    }

    // OP-FP (0x53): the funct7 selects the operation and format; rm/rs2 refine it.
    private static Decoded DecodeOpFp(uint w, int rd, int rs1, int rs2, int rm, int f7)
    {
        bool d = (f7 & 1) != 0; // fmt 2/3 (half, quad) match no case below and are illegal
        FpOp? op = (f7 & ~1) switch
        {
            0x00 => Rounded(d ? FpOp.AddD : FpOp.AddS),
            0x04 => Rounded(d ? FpOp.SubD : FpOp.SubS),
            0x08 => Rounded(d ? FpOp.MulD : FpOp.MulS),
            0x0C => Rounded(d ? FpOp.DivD : FpOp.DivS),
            0x2C => rs2 == 0 ? Rounded(d ? FpOp.SqrtD : FpOp.SqrtS) : null,
            0x10 => rm <= 2 ? (d ? FpOp.SgnjD : FpOp.SgnjS) + rm : null,
            0x14 => rm <= 1 ? (d ? FpOp.MinD : FpOp.MinS) + rm : null,
            0x20 => (d, rs2) switch { (false, 1) => Rounded(FpOp.CvtSD), (true, 0) => Rounded(FpOp.CvtDS), _ => null },
            0x50 => rm switch { 0 => d ? FpOp.LeD : FpOp.LeS, 1 => d ? FpOp.LtD : FpOp.LtS, 2 => d ? FpOp.EqD : FpOp.EqS, _ => null },
            0x60 => rs2 <= 3 ? Rounded((d ? FpOp.CvtWD : FpOp.CvtWS) + rs2) : null,
            0x68 => rs2 <= 3 ? Rounded((d ? FpOp.CvtDW : FpOp.CvtSW) + rs2) : null,
            0x70 => (rs2, rm) switch { (0, 0) => d ? FpOp.MvXD : FpOp.MvXW, (0, 1) => d ? FpOp.ClassD : FpOp.ClassS, _ => null },
            0x78 => (rs2, rm) == (0, 0) ? (d ? FpOp.MvDX : FpOp.MvWX) : null,
            _ => null,
        };
        return op is FpOp o ? Make(w, Op.Fp, rd, rs1, rs2, (int)o) : Illegal32(w);

        FpOp? Rounded(FpOp o) => ValidRm(rm) ? o : null;
    }
}
