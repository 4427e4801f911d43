using System.Reflection;
using System.Reflection.Emit;

namespace Spindle.Kernel.Compiler;

/// <summary>One decoded IL instruction: its offset, opcode and token operand (0 if it has none).</summary>
internal readonly record struct IlInstruction(int Offset, OpCode OpCode, int Token, long Immediate);

/// <summary>
/// Decodes a method body's IL into instructions, using the runtime's own opcode table for operand
/// sizes. Returns an error instead of throwing when the IL is truncated or names an unknown opcode.
/// </summary>
internal static class IlReader
{
    private static readonly OpCode?[] OneByte = new OpCode?[256];
    private static readonly OpCode?[] TwoByte = new OpCode?[256];

    static IlReader()
    {
        foreach (var f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)f.GetValue(null)!;
            ushort v = (ushort)op.Value;
            if (op.Size == 1) OneByte[v] = op;
            else TwoByte[v & 0xFF] = op;
        }
    }

    /// <summary>Decodes <paramref name="il"/>; on malformed IL returns what was decoded and sets <paramref name="error"/>.</summary>
    public static List<IlInstruction> Decode(ReadOnlySpan<byte> il, out string? error)
    {
        var list = new List<IlInstruction>();
        error = null;
        int pc = 0;
        while (pc < il.Length)
        {
            int start = pc;
            OpCode? op = il[pc] == 0xFE
                ? (pc + 1 < il.Length ? TwoByte[il[pc + 1]] : null)
                : OneByte[il[pc]];
            if (op is not { } code) { error = $"unknown opcode at IL_{start:x4}"; return list; }
            pc += code.Size;
            int size = OperandSize(code.OperandType, il, pc);
            if (size < 0 || pc + size > il.Length) { error = $"truncated operand at IL_{start:x4}"; return list; }
            int token = code.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType
                or OperandType.InlineTok or OperandType.InlineSig or OperandType.InlineString
                ? BitConverter.ToInt32(il.Slice(pc, 4)) : 0;
            long imm = size switch
            {
                1 => (sbyte)il[pc],
                2 => BitConverter.ToInt16(il.Slice(pc, 2)),
                4 when token == 0 && code.OperandType != OperandType.InlineSwitch => BitConverter.ToInt32(il.Slice(pc, 4)),
                _ => 0,
            };
            list.Add(new IlInstruction(start, code, token, imm));
            pc += size;
        }
        return list;
    }

    /// <summary>Offsets that some branch, leave or switch of <paramref name="il"/> jumps to (decoding stops at malformed IL).</summary>
    public static HashSet<int> BranchTargets(ReadOnlySpan<byte> il)
    {
        var targets = new HashSet<int>();
        foreach (var ins in Decode(il, out _))
        {
            int next = ins.Offset + ins.OpCode.Size;
            switch (ins.OpCode.OperandType)
            {
                case OperandType.ShortInlineBrTarget: targets.Add(next + 1 + (int)ins.Immediate); break;
                case OperandType.InlineBrTarget: targets.Add(next + 4 + BitConverter.ToInt32(il.Slice(next, 4))); break;
                case OperandType.InlineSwitch:
                    int n = (int)BitConverter.ToUInt32(il.Slice(next, 4));
                    int end = next + 4 + 4 * n;
                    for (int j = 0; j < n; j++) targets.Add(end + BitConverter.ToInt32(il.Slice(next + 4 + 4 * j, 4)));
                    break;
            }
        }
        return targets;
    }

    // Operand size in bytes, or -1 if a switch table runs past the end.
    private static int OperandSize(OperandType t, ReadOnlySpan<byte> il, int at) => t switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => at + 4 <= il.Length ? 4 + 4 * (int)Math.Min(BitConverter.ToUInt32(il.Slice(at, 4)), int.MaxValue / 8) : -1,
        _ => 4,
    };
}
