using System.Text;

namespace Spindle.Kernel.Gdb;

/// <summary>
/// The register set the stub shows gdb (qXfer:features:read of target.xml): gdb's own RISC-V features,
/// org.gnu.gdb.riscv.cpu (x0..x31 by their ABI names, then pc: register numbers 0..32) and org.gnu.gdb.riscv.fpu
/// (f0..f31 as 33..64, then fflags, frm and fcsr as 66..68, the numbers gdb gives those CSRs).
/// </summary>
internal static class RiscvTargetDescription
{
    public const int Pc = 32, FirstFloat = 33, Fflags = 66, Frm = 67, Fcsr = 68;

    private static readonly string[] IntegerNames =
    [
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    ];

    private static readonly string[] FloatNames =
    [
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
        "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    ];

    /// <summary>The document, built once.</summary>
    public static string Xml { get; } = Build();

    private static string Build()
    {
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target version=\"1.0\">");
        sb.Append("<architecture>riscv:rv64</architecture>");
        sb.Append("<feature name=\"org.gnu.gdb.riscv.cpu\">");
        for (int i = 0; i < 32; i++)
        {
            string type = i == 1 ? "code_ptr" : i is 2 or 3 or 4 or 8 ? "data_ptr" : "int";
            sb.Append($"<reg name=\"{IntegerNames[i]}\" bitsize=\"64\" type=\"{type}\" regnum=\"{i}\"/>");
        }
        sb.Append($"<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"{Pc}\"/></feature>");
        sb.Append("<feature name=\"org.gnu.gdb.riscv.fpu\">");
        sb.Append("<union id=\"riscv_double\"><field name=\"float\" type=\"ieee_single\"/><field name=\"double\" type=\"ieee_double\"/></union>");
        for (int i = 0; i < 32; i++)
            sb.Append($"<reg name=\"{FloatNames[i]}\" bitsize=\"64\" type=\"riscv_double\" regnum=\"{FirstFloat + i}\"/>");
        sb.Append($"<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"{Fflags}\"/>");
        sb.Append($"<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"{Frm}\"/>");
        sb.Append($"<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"{Fcsr}\"/>");
        sb.Append("</feature></target>");
        return sb.ToString();
    }
}
