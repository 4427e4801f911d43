namespace Spindle.Machine.Tests.Cpu;

/// <summary>A tiny RV64GC encoder for tests: instruction formats plus the mnemonics the tests use.</summary>
internal static class Asm
{
    public static uint R(uint opcode, int rd, int f3, int rs1, int rs2, int f7) =>
        opcode | (uint)rd << 7 | (uint)f3 << 12 | (uint)rs1 << 15 | (uint)rs2 << 20 | (uint)f7 << 25;

    public static uint I(uint opcode, int rd, int f3, int rs1, int imm) =>
        opcode | (uint)rd << 7 | (uint)f3 << 12 | (uint)rs1 << 15 | (uint)(imm & 0xFFF) << 20;

    public static uint S(uint opcode, int f3, int rs1, int rs2, int imm) =>
        opcode | (uint)(imm & 31) << 7 | (uint)f3 << 12 | (uint)rs1 << 15 | (uint)rs2 << 20 | (uint)((imm >> 5) & 0x7F) << 25;

    public static uint B(int f3, int rs1, int rs2, int imm) =>
        0x63u | (uint)((imm >> 11) & 1) << 7 | (uint)((imm >> 1) & 0xF) << 8 | (uint)f3 << 12 | (uint)rs1 << 15
        | (uint)rs2 << 20 | (uint)((imm >> 5) & 0x3F) << 25 | (uint)((imm >> 12) & 1) << 31;

    public static uint U(uint opcode, int rd, int imm) => opcode | (uint)rd << 7 | ((uint)imm & 0xFFFFF000);

    public static uint J(int rd, int imm) =>
        0x6Fu | (uint)rd << 7 | ((uint)imm & 0xFF000) | (uint)((imm >> 11) & 1) << 20 | (uint)((imm >> 1) & 0x3FF) << 21
        | (uint)((imm >> 20) & 1) << 31;

    // RV64I
    public static uint Lui(int rd, int imm) => U(0x37, rd, imm);
    public static uint Auipc(int rd, int imm) => U(0x17, rd, imm);
    public static uint Jal(int rd, int off) => J(rd, off);
    public static uint Jalr(int rd, int rs1, int imm) => I(0x67, rd, 0, rs1, imm);
    public static uint Beq(int a, int b, int off) => B(0, a, b, off);
    public static uint Bne(int a, int b, int off) => B(1, a, b, off);
    public static uint Blt(int a, int b, int off) => B(4, a, b, off);
    public static uint Bge(int a, int b, int off) => B(5, a, b, off);
    public static uint Bltu(int a, int b, int off) => B(6, a, b, off);
    public static uint Bgeu(int a, int b, int off) => B(7, a, b, off);
    public static uint Load(int f3, int rd, int rs1, int imm) => I(0x03, rd, f3, rs1, imm);
    public static uint Store(int f3, int rs1, int rs2, int imm) => S(0x23, f3, rs1, rs2, imm);
    public static uint Ld(int rd, int rs1, int imm) => Load(3, rd, rs1, imm);
    public static uint Sd(int rs2, int rs1, int imm) => Store(3, rs1, rs2, imm);
    public static uint Addi(int rd, int rs1, int imm) => I(0x13, rd, 0, rs1, imm);
    public static uint OpImm(int f3, int rd, int rs1, int imm) => I(0x13, rd, f3, rs1, imm);
    public static uint Op(int f7, int f3, int rd, int rs1, int rs2) => R(0x33, rd, f3, rs1, rs2, f7);
    public static uint Op32(int f7, int f3, int rd, int rs1, int rs2) => R(0x3B, rd, f3, rs1, rs2, f7);
    public static uint Add(int rd, int rs1, int rs2) => Op(0, 0, rd, rs1, rs2);
    public static uint Ecall() => 0x00000073;
    public static uint Ebreak() => 0x00100073;
    public static uint FenceI() => 0x0000100F;
    public static uint Csr(int f3, int rd, int csr, int rs1) => I(0x73, rd, f3, rs1, csr);
    public static uint Amo(int f5, bool wide, int rd, int rs1, int rs2) => R(0x2F, rd, wide ? 3 : 2, rs1, rs2, f5 << 2);
    public static uint OpFp(int f7, int rm, int rd, int rs1, int rs2) => R(0x53, rd, rm, rs1, rs2, f7);
    public static uint Fld(int rd, int rs1, int imm) => I(0x07, rd, 3, rs1, imm);
    public static uint Flw(int rd, int rs1, int imm) => I(0x07, rd, 2, rs1, imm);
    public static uint Fsd(int rs2, int rs1, int imm) => S(0x27, 3, rs1, rs2, imm);
    public static uint Fsw(int rs2, int rs1, int imm) => S(0x27, 2, rs1, rs2, imm);

    /// <summary>Loads a 32-bit signed constant into rd (lui + addi).</summary>
    public static uint[] Li(int rd, int value)
    {
        int lo = value << 20 >> 20;
        int hi = value - lo;
        return hi == 0 ? [Addi(rd, 0, lo)] : [Lui(rd, hi), Addi(rd, rd, lo)];
    }
}

/// <summary>Builds a code image from 32-bit and 16-bit instructions.</summary>
internal sealed class Snippet
{
    private readonly List<byte> _bytes = new();

    public int Length => _bytes.Count;

    public Snippet I(params uint[] words)
    {
        foreach (uint w in words) _bytes.AddRange(BitConverter.GetBytes(w));
        return this;
    }

    public Snippet C(params ushort[] halves)
    {
        foreach (ushort h in halves) _bytes.AddRange(BitConverter.GetBytes(h));
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
