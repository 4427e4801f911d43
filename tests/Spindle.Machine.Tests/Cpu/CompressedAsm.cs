namespace Spindle.Machine.Tests.Cpu;

/// <summary>RV64C encoders for tests, written from the spec's bit tables (independently of the decoder).</summary>
internal static class CAsm
{
    // Bits vhi..vlo of v placed at bit 'at'.
    private static int P(int v, int vhi, int vlo, int at) => ((v >> vlo) & ((1 << (vhi - vlo + 1)) - 1)) << at;
    private static ushort H(int bits) => (ushort)bits;
    private static int R3(int r) { if (r < 8 || r > 15) throw new ArgumentException("not a compressed register"); return r - 8; }

    public static ushort Addi4spn(int rd, int uimm) =>
        H(0 << 13 | P(uimm, 5, 4, 11) | P(uimm, 9, 6, 7) | P(uimm, 2, 2, 6) | P(uimm, 3, 3, 5) | R3(rd) << 2 | 0);
    private static ushort ClD(int f3, int r1, int r2, int uimm) =>   // c.ld/c.sd/c.fld/c.fsd layout
        H(f3 << 13 | P(uimm, 5, 3, 10) | R3(r1) << 7 | P(uimm, 7, 6, 5) | R3(r2) << 2);
    private static ushort ClW(int f3, int r1, int r2, int uimm) =>   // c.lw/c.sw layout
        H(f3 << 13 | P(uimm, 5, 3, 10) | R3(r1) << 7 | P(uimm, 2, 2, 6) | P(uimm, 6, 6, 5) | R3(r2) << 2);
    public static ushort Fld(int rd, int rs1, int uimm) => ClD(1, rs1, rd, uimm);
    public static ushort Lw(int rd, int rs1, int uimm) => ClW(2, rs1, rd, uimm);
    public static ushort Ld(int rd, int rs1, int uimm) => ClD(3, rs1, rd, uimm);
    public static ushort Fsd(int rs2, int rs1, int uimm) => ClD(5, rs1, rs2, uimm);
    public static ushort Sw(int rs2, int rs1, int uimm) => ClW(6, rs1, rs2, uimm);
    public static ushort Sd(int rs2, int rs1, int uimm) => ClD(7, rs1, rs2, uimm);

    private static ushort Ci(int f3, int rd, int imm) => H(f3 << 13 | P(imm, 5, 5, 12) | rd << 7 | P(imm, 4, 0, 2) | 1);
    public static ushort Addi(int rd, int imm) => Ci(0, rd, imm);
    public static ushort Addiw(int rd, int imm) => Ci(1, rd, imm);
    public static ushort Li(int rd, int imm) => Ci(2, rd, imm);
    public static ushort Lui(int rd, int imm) => Ci(3, rd, imm >> 12);
    public static ushort Addi16sp(int imm) =>
        H(3 << 13 | P(imm, 9, 9, 12) | 2 << 7 | P(imm, 4, 4, 6) | P(imm, 6, 6, 5) | P(imm, 8, 7, 3) | P(imm, 5, 5, 2) | 1);
    public static ushort Srli(int rd, int sh) => H(4 << 13 | P(sh, 5, 5, 12) | 0 << 10 | R3(rd) << 7 | P(sh, 4, 0, 2) | 1);
    public static ushort Srai(int rd, int sh) => H(4 << 13 | P(sh, 5, 5, 12) | 1 << 10 | R3(rd) << 7 | P(sh, 4, 0, 2) | 1);
    public static ushort Andi(int rd, int imm) => H(4 << 13 | P(imm, 5, 5, 12) | 2 << 10 | R3(rd) << 7 | P(imm, 4, 0, 2) | 1);
    private static ushort Ca(int bit12, int f2, int rd, int rs2) => H(4 << 13 | bit12 << 12 | 3 << 10 | R3(rd) << 7 | f2 << 5 | R3(rs2) << 2 | 1);
    public static ushort Sub(int rd, int rs2) => Ca(0, 0, rd, rs2);
    public static ushort Xor(int rd, int rs2) => Ca(0, 1, rd, rs2);
    public static ushort Or(int rd, int rs2) => Ca(0, 2, rd, rs2);
    public static ushort And(int rd, int rs2) => Ca(0, 3, rd, rs2);
    public static ushort Subw(int rd, int rs2) => Ca(1, 0, rd, rs2);
    public static ushort Addw(int rd, int rs2) => Ca(1, 1, rd, rs2);
    public static ushort J(int off) =>
        H(5 << 13 | P(off, 11, 11, 12) | P(off, 4, 4, 11) | P(off, 9, 8, 9) | P(off, 10, 10, 8) | P(off, 6, 6, 7)
          | P(off, 7, 7, 6) | P(off, 3, 1, 3) | P(off, 5, 5, 2) | 1);
    private static ushort Cb(int f3, int rs1, int off) =>
        H(f3 << 13 | P(off, 8, 8, 12) | P(off, 4, 3, 10) | R3(rs1) << 7 | P(off, 7, 6, 5) | P(off, 2, 1, 3) | P(off, 5, 5, 2) | 1);
    public static ushort Beqz(int rs1, int off) => Cb(6, rs1, off);
    public static ushort Bnez(int rs1, int off) => Cb(7, rs1, off);

    public static ushort Slli(int rd, int sh) => H(0 << 13 | P(sh, 5, 5, 12) | rd << 7 | P(sh, 4, 0, 2) | 2);
    private static ushort LdspLike(int f3, int rd, int uimm) => H(f3 << 13 | P(uimm, 5, 5, 12) | rd << 7 | P(uimm, 4, 3, 5) | P(uimm, 8, 6, 2) | 2);
    public static ushort Fldsp(int rd, int uimm) => LdspLike(1, rd, uimm);
    public static ushort Lwsp(int rd, int uimm) => H(2 << 13 | P(uimm, 5, 5, 12) | rd << 7 | P(uimm, 4, 2, 4) | P(uimm, 7, 6, 2) | 2);
    public static ushort Ldsp(int rd, int uimm) => LdspLike(3, rd, uimm);
    public static ushort Jr(int rs1) => H(4 << 13 | rs1 << 7 | 2);
    public static ushort Mv(int rd, int rs2) => H(4 << 13 | rd << 7 | rs2 << 2 | 2);
    public static ushort Ebreak() => H(4 << 13 | 1 << 12 | 2);
    public static ushort Jalr(int rs1) => H(4 << 13 | 1 << 12 | rs1 << 7 | 2);
    public static ushort Add(int rd, int rs2) => H(4 << 13 | 1 << 12 | rd << 7 | rs2 << 2 | 2);
    private static ushort SdspLike(int f3, int rs2, int uimm) => H(f3 << 13 | P(uimm, 5, 3, 10) | P(uimm, 8, 6, 7) | rs2 << 2 | 2);
    public static ushort Fsdsp(int rs2, int uimm) => SdspLike(5, rs2, uimm);
    public static ushort Swsp(int rs2, int uimm) => H(6 << 13 | P(uimm, 5, 2, 9) | P(uimm, 7, 6, 7) | rs2 << 2 | 2);
    public static ushort Sdsp(int rs2, int uimm) => SdspLike(7, rs2, uimm);
}
