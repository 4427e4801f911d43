using System.Runtime.InteropServices;

namespace Spindle.Machine.Cpu;

/// <summary>
/// One decoded instruction, an element of a decoded <see cref="Block"/>.
/// <see cref="Raw"/> holds the instruction bits it was decoded from (reported for illegal instructions).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Decoded
{
    /// <summary>Instruction bits: 32 bits, or the low 16 for a compressed instruction.</summary>
    public uint Raw;
    /// <summary>Immediate (sign-extended to 64 bits at use); the CSR number, AMO or FP sub-operation for those classes.</summary>
    public int Imm;
    public Op Op;
    public byte Rd, Rs1, Rs2, Rs3;
    /// <summary>The rm field (FP) or funct3 (CSR).</summary>
    public byte Rm;
    /// <summary>Instruction length in bytes, 2 or 4.</summary>
    public byte Len;
    /// <summary>Byte offset of the instruction from the start of its block (set by the block builder; 0 from the decoder).</summary>
    public byte Off;
}

/// <summary>Operations the interpreter loop dispatches on. Compressed instructions decode to their expansions.</summary>
internal enum Op : byte
{
    Illegal = 0,
    Lui, Auipc, Jal, Jalr,
    Beq, Bne, Blt, Bge, Bltu, Bgeu,
    Lb, Lh, Lw, Ld, Lbu, Lhu, Lwu,
    Sb, Sh, Sw, Sd,
    Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
    Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
    Addiw, Slliw, Srliw, Sraiw, Addw, Subw, Sllw, Srlw, Sraw,
    Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
    Mulw, Divw, Divuw, Remw, Remuw,
    Fence, FenceI, Ecall, Ebreak,
    /// <summary>Zicsr: Rm = funct3, Imm = CSR number, Rs1 = source register or uimm.</summary>
    Csr,
    /// <summary>LR/SC/AMO: Imm = <see cref="AtomicOp"/>.</summary>
    Atomic,
    Flw, Fld, Fsw, Fsd,
    /// <summary>Every other F/D instruction: Imm = <see cref="FpOp"/>.</summary>
    Fp,
    /// <summary>No effect: the block builder rewrites pure integer operations whose rd is x0 to this.</summary>
    Nop,
}

/// <summary>A-extension operations (funct5 values); the width is in <see cref="AtomicOp"/> bit 5.</summary>
internal enum AtomicOp
{
    Add = 0x00, Swap = 0x01, Lr = 0x02, Sc = 0x03, Xor = 0x04, Or = 0x08, And = 0x0C,
    Min = 0x10, Max = 0x14, MinU = 0x18, MaxU = 0x1C,
    /// <summary>Flag: 64-bit (.d) form.</summary>
    Double = 0x20,
}

/// <summary>F/D operations executed by the <see cref="Interpreter"/>'s floating-point unit.</summary>
internal enum FpOp
{
    AddS, SubS, MulS, DivS, SqrtS, MaddS, MsubS, NmsubS, NmaddS,
    CvtWS, CvtWuS, CvtLS, CvtLuS, CvtSW, CvtSWu, CvtSL, CvtSLu,
    SgnjS, SgnjnS, SgnjxS, MinS, MaxS, EqS, LtS, LeS, ClassS, MvXW, MvWX,
    AddD, SubD, MulD, DivD, SqrtD, MaddD, MsubD, NmsubD, NmaddD,
    CvtWD, CvtWuD, CvtLD, CvtLuD, CvtDW, CvtDWu, CvtDL, CvtDLu,
    SgnjD, SgnjnD, SgnjxD, MinD, MaxD, EqD, LtD, LeD, ClassD, MvXD, MvDX,
    CvtSD, CvtDS,
}
