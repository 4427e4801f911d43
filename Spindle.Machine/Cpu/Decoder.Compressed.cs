namespace Spindle.Machine.Cpu;

internal static partial class Decoder
{
    // Builds an entry for a compressed instruction expanded to its 32-bit equivalent operation.
    private static Decoded MakeC(ushort h, Op op, int rd, int rs1, int rs2, int imm) => new()
    {
        Raw = h, Op = op, Rd = (byte)rd, Rs1 = (byte)rs1, Rs2 = (byte)rs2, Imm = imm, Len = 2,
    };

    private static Decoded IllegalC(ushort h) => new() { Raw = h, Op = Op.Illegal, Len = 2 };

    // Bit field h[hi:lo] placed at bit 'at'.
    private static int B(int h, int hi, int lo, int at) => ((h >> lo) & ((1 << (hi - lo + 1)) - 1)) << at;

    // Sign-extends the low 'bits' bits of v.
    private static int Sext(int v, int bits) => v << (32 - bits) >> (32 - bits);

    // Decodes an RV64C instruction; reserved encodings are illegal, HINTs execute as their base form.
    private static Decoded DecodeCompressed(ushort h)
    {
        int x = h;
        int f3 = x >> 13;
        int rdFull = (x >> 7) & 31, rs2Full = (x >> 2) & 31;
        int rdP = 8 + ((x >> 2) & 7), rs1P = 8 + ((x >> 7) & 7);
        int imm6 = Sext(B(x, 12, 12, 5) | B(x, 6, 2, 0), 6);
        int uimmD = B(x, 12, 10, 3) | B(x, 6, 5, 6);             // c.ld/c.sd/c.fld/c.fsd
        int uimmW = B(x, 12, 10, 3) | B(x, 6, 6, 2) | B(x, 5, 5, 6); // c.lw/c.sw
        switch ((x & 3) << 3 | f3)
        {
            // Quadrant 0
            case 0b00_000:
                {
                    int nz = B(x, 12, 11, 4) | B(x, 10, 7, 6) | B(x, 6, 6, 2) | B(x, 5, 5, 3);
                    return nz == 0 ? IllegalC(h) : MakeC(h, Op.Addi, rdP, 2, 0, nz);
                }
            case 0b00_001: return MakeC(h, Op.Fld, rdP, rs1P, 0, uimmD);
            case 0b00_010: return MakeC(h, Op.Lw, rdP, rs1P, 0, uimmW);
            case 0b00_011: return MakeC(h, Op.Ld, rdP, rs1P, 0, uimmD);
            case 0b00_101: return MakeC(h, Op.Fsd, 0, rs1P, rdP, uimmD);
            case 0b00_110: return MakeC(h, Op.Sw, 0, rs1P, rdP, uimmW);
            case 0b00_111: return MakeC(h, Op.Sd, 0, rs1P, rdP, uimmD);
            // Quadrant 1
            case 0b01_000: return MakeC(h, Op.Addi, rdFull, rdFull, 0, imm6);
            case 0b01_001: return rdFull == 0 ? IllegalC(h) : MakeC(h, Op.Addiw, rdFull, rdFull, 0, imm6);
            case 0b01_010: return MakeC(h, Op.Addi, rdFull, 0, 0, imm6);
            case 0b01_011:
                if (rdFull == 2)
                {
                    int nz = Sext(B(x, 12, 12, 9) | B(x, 6, 6, 4) | B(x, 5, 5, 6) | B(x, 4, 3, 7) | B(x, 2, 2, 5), 10);
                    return nz == 0 ? IllegalC(h) : MakeC(h, Op.Addi, 2, 2, 0, nz);
                }
                return imm6 == 0 ? IllegalC(h) : MakeC(h, Op.Lui, rdFull, 0, 0, imm6 << 12);
            case 0b01_100: return DecodeCompressedAlu(h, rs1P, rdP, imm6);
            case 0b01_101:
                {
                    int off = Sext(B(x, 12, 12, 11) | B(x, 11, 11, 4) | B(x, 10, 9, 8) | B(x, 8, 8, 10) | B(x, 7, 7, 6)
                                   | B(x, 6, 6, 7) | B(x, 5, 3, 1) | B(x, 2, 2, 5), 12);
                    return MakeC(h, Op.Jal, 0, 0, 0, off);
                }
            case 0b01_110: case 0b01_111:
                {
                    int off = Sext(B(x, 12, 12, 8) | B(x, 11, 10, 3) | B(x, 6, 5, 6) | B(x, 4, 3, 1) | B(x, 2, 2, 5), 9);
                    return MakeC(h, f3 == 6 ? Op.Beq : Op.Bne, 0, rs1P, 0, off);
                }
            // Quadrant 2
            case 0b10_000: return MakeC(h, Op.Slli, rdFull, rdFull, 0, B(x, 12, 12, 5) | B(x, 6, 2, 0));
            case 0b10_001: return MakeC(h, Op.Fld, rdFull, 2, 0, B(x, 12, 12, 5) | B(x, 6, 5, 3) | B(x, 4, 2, 6));
            case 0b10_010:
                return rdFull == 0 ? IllegalC(h) : MakeC(h, Op.Lw, rdFull, 2, 0, B(x, 12, 12, 5) | B(x, 6, 4, 2) | B(x, 3, 2, 6));
            case 0b10_011:
                return rdFull == 0 ? IllegalC(h) : MakeC(h, Op.Ld, rdFull, 2, 0, B(x, 12, 12, 5) | B(x, 6, 5, 3) | B(x, 4, 2, 6));
            case 0b10_100:
                if ((x & 0x1000) == 0)
                {
                    if (rs2Full != 0) return MakeC(h, Op.Add, rdFull, 0, rs2Full, 0);              // c.mv
                    return rdFull == 0 ? IllegalC(h) : MakeC(h, Op.Jalr, 0, rdFull, 0, 0);         // c.jr
                }
                if (rs2Full != 0) return MakeC(h, Op.Add, rdFull, rdFull, rs2Full, 0);             // c.add
                return rdFull == 0 ? MakeC(h, Op.Ebreak, 0, 0, 0, 0) : MakeC(h, Op.Jalr, 1, rdFull, 0, 0); // c.ebreak / c.jalr
            case 0b10_101: return MakeC(h, Op.Fsd, 0, 2, rs2Full, B(x, 12, 10, 3) | B(x, 9, 7, 6));
            case 0b10_110: return MakeC(h, Op.Sw, 0, 2, rs2Full, B(x, 12, 9, 2) | B(x, 8, 7, 6));
            case 0b10_111: return MakeC(h, Op.Sd, 0, 2, rs2Full, B(x, 12, 10, 3) | B(x, 9, 7, 6));
            default: return IllegalC(h); // includes 0b00_100 (reserved)
        }
    }

    // Quadrant 1, funct3 100: c.srli, c.srai, c.andi and the register-register group.
    private static Decoded DecodeCompressedAlu(ushort h, int rd, int rs2, int imm6)
    {
        int x = h;
        int shamt = B(x, 12, 12, 5) | B(x, 6, 2, 0);
        switch ((x >> 10) & 3)
        {
            case 0: return MakeC(h, Op.Srli, rd, rd, 0, shamt);
            case 1: return MakeC(h, Op.Srai, rd, rd, 0, shamt);
            case 2: return MakeC(h, Op.Andi, rd, rd, 0, imm6);
        }
        Op op = ((x >> 12) & 1, (x >> 5) & 3) switch
        {
            (0, 0) => Op.Sub, (0, 1) => Op.Xor, (0, 2) => Op.Or, (0, 3) => Op.And,
            (1, 0) => Op.Subw, (1, 1) => Op.Addw,
            _ => Op.Illegal,
        };
        return op == Op.Illegal ? IllegalC(h) : MakeC(h, op, rd, rd, rs2, 0);
    }
}
