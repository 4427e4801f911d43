using static Spindle.Machine.Tests.Cpu.Asm;

namespace Spindle.Machine.Tests.Cpu.Jit;

/// <summary>
/// A seeded random RV64GC program for differential engine tests: integer, M, A, F, D, Zicsr and C instructions,
/// loads and stores through pointer registers into mapped, read-only, unmapped and code pages (so it also rewrites
/// itself), branches and jumps forward and back (loops end on the budget), and now and then an ecall, ebreak,
/// fence.i or illegal word. The pointer registers (<see cref="Pointers"/>) are never destinations, so memory
/// accesses stay meaningful; every other register starts random. Instructions are kept as (size, bits) so that a
/// failing program can be shrunk by turning instructions into nops of the same size (offsets stay put).
/// </summary>
internal sealed class RandomProgram
{
    /// <summary>Where the program starts (in <see cref="DiffMachine.Code"/>'s two pages).</summary>
    public ulong Start { get; }
    /// <summary>Instruction sizes (2 or 4) and bits, in order; an ebreak follows the last.</summary>
    public List<(int Size, uint Bits)> Code { get; } = new();
    public ulong[] X { get; } = new ulong[32];
    public ulong[] F { get; } = new ulong[32];
    public uint Fcsr { get; }
    /// <summary>The budgets of successive runs (a run after an ecall or a budget trap goes on with the next).</summary>
    public long[] Budgets { get; }

    /// <summary>Registers never written by the program: x8, x9 (usable by compressed loads), x2, x18, x19.</summary>
    public static readonly int[] Pointers = [2, 8, 9, 18, 19];

    private static readonly int[] Writable = Enumerable.Range(1, 31).Except(Pointers).ToArray();
    private static readonly int[] CompressedWritable = [10, 11, 12, 13, 14, 15];
    private readonly Random _r;
    private readonly List<Func<int, Func<int, int>, uint>> _emit = new();

    public RandomProgram(int seed)
    {
        _r = new Random(seed);
        Start = DiffMachine.Code + (ulong)(_r.Next(4) == 0 ? 4096 - 2 * _r.Next(1, 80) : 2 * _r.Next(0, 64));
        int count = _r.Next(4, 64);
        while (_emit.Count < count) Generate(count);
        var offsets = new int[_emit.Count + 1];
        var sizes = new int[_emit.Count];
        for (int i = 0; i < _emit.Count; i++)
        {
            sizes[i] = SizeOf(i);
            offsets[i + 1] = offsets[i] + sizes[i];
        }
        for (int i = 0; i < _emit.Count; i++) Code.Add((sizes[i], _emit[i](offsets[i], j => offsets[Math.Clamp(j, 0, _emit.Count)])));

        for (int r = 1; r < 32; r++) X[r] = RandomValue();
        X[8] = DiffMachine.Data + (ulong)_r.Next(0, 4096 * 3) / 8 * 8;           // mapped, aligned
        X[9] = DiffMachine.Data + 4096 * (ulong)_r.Next(1, 4) - (ulong)_r.Next(0, 16); // near a page end
        X[2] = DiffMachine.ReadOnly + (ulong)_r.Next(0, 4000);
        X[18] = DiffMachine.Unmapped + (ulong)_r.Next(0, 4000);
        X[19] = _r.Next(3) == 0 ? Start + (ulong)_r.Next(0, offsets[^1] + 8) : DiffMachine.Data + (ulong)_r.Next(0, 16000);
        for (int r = 0; r < 32; r++)
            F[r] = _r.Next(3) switch { 0 => 0xFFFF_FFFF_0000_0000 | (uint)_r.Next(), 1 => BitConverter.DoubleToUInt64Bits(_r.NextDouble() * 1000 - 500), _ => RandomValue() };
        Fcsr = (uint)(_r.Next(8) < 6 ? _r.Next(5) : _r.Next(8)) << 5 | (uint)_r.Next(32);
        Budgets = Enumerable.Range(0, 4).Select(_ => (long)(_r.Next(3) == 0 ? _r.Next(1, 2000) : _r.Next(1, 40))).ToArray();
    }

    // The size of instruction i (decided when it was generated).
    private int SizeOf(int i) => _sizes[i];
    private readonly List<int> _sizes = new();

    private void Add(int size, Func<int, Func<int, int>, uint> emit)
    {
        _sizes.Add(size);
        _emit.Add(emit);
    }

    private void Add(uint bits) => Add(4, (_, _) => bits);
    private void AddC(ushort bits) => Add(2, (_, _) => bits);

    private ulong RandomValue() => _r.Next(4) switch
    {
        0 => (ulong)_r.Next(-16, 16),
        1 => (ulong)_r.NextInt64() << _r.Next(2) * 32,
        2 => _r.Next(2) == 0 ? 0x8000_0000_0000_0000 : 0x7FFF_FFFF_FFFF_FFFF ^ (ulong)_r.Next(2),
        _ => (ulong)_r.NextInt64() ^ (ulong)_r.NextInt64() << 1,
    };

    private int Rd() => _r.Next(10) == 0 ? 0 : Writable[_r.Next(Writable.Length)];
    private int Rs() => _r.Next(32);
    private int Base() => _r.Next(5) == 0 ? Rs() : Pointers[_r.Next(Pointers.Length)];
    private int Imm12() => _r.Next(3) == 0 ? _r.Next(-2048, 2048) : _r.Next(-64, 64);
    private int Pick(params int[] choices) => choices[_r.Next(choices.Length)];
    private int Target(int count) => _r.Next(3) == 0 ? _emit.Count - _r.Next(0, Math.Min(_emit.Count, 12) + 1) : _r.Next(_emit.Count, count + 1);

    // Appends one instruction (or an auipc/jalr pair) of a random kind.
    private void Generate(int count)
    {
        int here = _emit.Count;
        switch (_r.Next(100))
        {
            case < 14: // OP and OP-32, with M
                {
                    (int f7, int f3) = Pick(0, 1, 2) switch
                    {
                        0 => (0, _r.Next(8)),
                        1 => (0x20, Pick(0, 5)),
                        _ => (1, _r.Next(8)),
                    };
                    bool w = _r.Next(3) == 0;
                    if (w && f7 == 0) f3 = Pick(0, 1, 5);
                    if (w && f7 == 1) f3 = Pick(0, 4, 5, 6, 7);
                    Add(w ? Op32(f7, f3, Rd(), Rs(), Rs()) : Op(f7, f3, Rd(), Rs(), Rs()));
                    break;
                }
            case < 26: // OP-IMM and OP-IMM-32
                {
                    int f3 = _r.Next(8);
                    if (_r.Next(3) == 0)
                    {
                        f3 = Pick(0, 1, 5);
                        int imm = f3 == 0 ? Imm12() : _r.Next(32) | (f3 == 5 && _r.Next(2) == 0 ? 0x400 : 0);
                        Add(I(0x1B, Rd(), f3, Rs(), imm));
                    }
                    else
                    {
                        int imm = f3 is 1 or 5 ? _r.Next(64) | (f3 == 5 && _r.Next(2) == 0 ? 0x400 : 0) : Imm12();
                        Add(OpImm(f3, Rd(), Rs(), imm));
                    }
                    break;
                }
            case < 29: Add(_r.Next(2) == 0 ? Lui(Rd(), _r.Next() << 12) : Auipc(Rd(), _r.Next(-8, 8) << 12)); break;
            case < 38: Add(Load(Pick(0, 1, 2, 3, 4, 5, 6), Rd(), Base(), Imm12() % 96)); break;
            case < 45: Add(Store(_r.Next(4), Base(), Rs(), Imm12() % 96)); break;
            case < 53: // conditional branch
                {
                    int f3 = Pick(0, 1, 4, 5, 6, 7), a = Rs(), b = Rs(), t = Target(count);
                    Add(4, (off, at) => B(f3, a, b, at(t) - off));
                    break;
                }
            case < 55: // jal (often linking ra), or a return through ra or t0
                {
                    if (_r.Next(3) == 0)
                    {
                        if (_r.Next(2) == 0) Add(Jalr(0, Pick(1, 5), 0)); else AddC(CAsm.Jr(1));
                        break;
                    }
                    int rd = Pick(0, 1, 5, Rd()), t = Target(count);
                    Add(4, (off, at) => Jal(rd, at(t) - off));
                    break;
                }
            case < 56: // a call to a one-instruction function that returns: jal ra, f; op; j over; f: ret
                {
                    int link = Pick(1, 5);
                    Add(Jal(link, 12));
                    Add(Addi(Rd(), Rs(), Imm12()));
                    Add(Jal(0, 8));
                    Add(Jalr(0, link, 0));
                    break;
                }
            case < 57: // auipc t, 0; jalr rd, imm(t)
                {
                    int t = Writable[_r.Next(Writable.Length)], rd = Pick(0, 1, Rd()), target = Target(count);
                    Add(4, (_, _) => Auipc(t, 0));
                    Add(4, (off, at) => Jalr(rd, t, at(target) - (off - 4)));
                    break;
                }
            case < 61: // A
                {
                    int f5 = Pick(0x00, 0x01, 0x02, 0x03, 0x04, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x1C);
                    int rs1 = _r.Next(6) == 0 ? Base() : 8;
                    Add(Amo(f5, _r.Next(2) == 0, Rd(), rs1, f5 == 0x02 ? 0 : Rs()));
                    break;
                }
            case < 66: // FP loads and stores
                {
                    int f = _r.Next(32), b = Base(), imm = Imm12() % 96;
                    Add(_r.Next(4) switch { 0 => Flw(f, b, imm), 1 => Fld(f, b, imm), 2 => Fsw(f, b, imm), _ => Fsd(f, b, imm) });
                    break;
                }
            case < 75: Add(FpInstruction()); break;
            case < 77: // Zicsr on the user CSRs (and now and then an unknown one)
                {
                    int csr = Pick(1, 2, 3, 1, 2, 3, 0xC00, 0xC02, 0x7C0);
                    int f3 = csr >= 0xC00 ? Pick(2, 6) : Pick(1, 2, 3, 5, 6, 7);
                    if (_r.Next(20) == 0) f3 = 1;       // a write to a read-only CSR traps
                    Add(Csr(f3, Rd(), csr, f3 >= 5 ? _r.Next(32) : Rs()));
                    break;
                }
            case < 95: GenerateCompressed(count); break;
            case < 96: Add(Ecall()); break;
            case < 97: Add(_r.Next(2) == 0 ? FenceI() : 0x0FF0000Fu); break;   // fence.i, fence
            case < 98: Add(Ebreak()); break;
            default: if (_r.Next(2) == 0) Add(0xFFFF_FFFFu); else AddC(0); break;
        }
        if (_emit.Count == here) Add(Addi(0, 0, 0));
    }

    private uint FpInstruction()
    {
        int rm = _r.Next(10) switch { < 6 => _r.Next(5), < 9 => 7, _ => 5 };
        int d = _r.Next(2), rd = _r.Next(32), rs1 = _r.Next(32), rs2 = _r.Next(32);
        int xd = Rd();
        switch (_r.Next(12))
        {
            case 0: return OpFp(Pick(0x00, 0x04, 0x08, 0x0C) | d, rm, rd, rs1, rs2);
            case 1: return OpFp(0x2C | d, rm, rd, rs1, 0);
            case 2: return OpFp(0x10 | d, _r.Next(3), rd, rs1, rs2);
            case 3: return OpFp(0x14 | d, _r.Next(2), rd, rs1, rs2);
            case 4: return OpFp(0x50 | d, _r.Next(3), xd, rs1, rs2);
            case 5: return OpFp(0x60 | d, rm, xd, rs1, _r.Next(4));
            case 6: return OpFp(0x68 | d, rm, rd, Rs(), _r.Next(4));
            case 7: return d == 0 ? OpFp(0x20, rm, rd, rs1, 1) : OpFp(0x21, rm, rd, rs1, 0);
            case 8: return OpFp(0x70 | d, _r.Next(2), xd, rs1, 0);
            case 9: return OpFp(0x78 | d, 0, rd, Rs(), 0);
            default:
                return (uint)_r.Next(32) << 27 | (uint)d << 25 | (uint)rs2 << 20 | (uint)rs1 << 15 | (uint)rm << 12 | (uint)rd << 7
                    | (uint)Pick(0x43, 0x47, 0x4B, 0x4F);
        }
    }

    private void GenerateCompressed(int count)
    {
        int rd = Writable[_r.Next(Writable.Length)], cd = CompressedWritable[_r.Next(6)];
        int cs = 8 + _r.Next(8), imm6 = _r.Next(-32, 32);
        switch (_r.Next(14))
        {
            case 0: AddC(CAsm.Addi(rd, imm6 == 0 ? 1 : imm6)); break;
            case 1: AddC(CAsm.Li(rd, imm6)); break;
            case 2: AddC(CAsm.Mv(rd, 1 + _r.Next(31))); break;
            case 3: AddC(CAsm.Add(rd, 1 + _r.Next(31))); break;
            case 4: AddC(_r.Next(6) switch { 0 => CAsm.Sub(cd, cs), 1 => CAsm.Xor(cd, cs), 2 => CAsm.Or(cd, cs), 3 => CAsm.And(cd, cs), 4 => CAsm.Subw(cd, cs), _ => CAsm.Addw(cd, cs) }); break;
            case 5: AddC(CAsm.Slli(rd, 1 + _r.Next(63))); break;
            case 6: AddC(_r.Next(2) == 0 ? CAsm.Srli(cd, 1 + _r.Next(63)) : CAsm.Srai(cd, 1 + _r.Next(63))); break;
            case 7: AddC(CAsm.Andi(cd, imm6)); break;
            case 8: AddC(_r.Next(2) == 0 ? CAsm.Lw(cd, Pick(8, 9), 4 * _r.Next(32)) : CAsm.Ld(cd, Pick(8, 9), 8 * _r.Next(32))); break;
            case 9: AddC(_r.Next(2) == 0 ? CAsm.Sw(cs, Pick(8, 9), 4 * _r.Next(32)) : CAsm.Sd(cs, Pick(8, 9), 8 * _r.Next(32))); break;
            case 10: AddC(_r.Next(2) == 0 ? CAsm.Fld(cs, Pick(8, 9), 8 * _r.Next(32)) : CAsm.Fsd(cs, Pick(8, 9), 8 * _r.Next(32))); break;
            case 11:
                {
                    int t = Math.Clamp(Target(count), _emit.Count - 10, _emit.Count + 10);
                    Add(2, (off, at) => CAsm.J(at(t) - off));
                    break;
                }
            default:
                {
                    int t = Math.Clamp(Target(count), _emit.Count - 10, _emit.Count + 10);
                    bool z = _r.Next(2) == 0;
                    Add(2, (off, at) => z ? CAsm.Beqz(cs, at(t) - off) : CAsm.Bnez(cs, at(t) - off));
                    break;
                }
        }
    }

    /// <summary>The program's bytes (each instruction, then an ebreak).</summary>
    public byte[] Bytes()
    {
        var bytes = new List<byte>();
        foreach (var (size, bits) in Code)
            bytes.AddRange(size == 4 ? BitConverter.GetBytes(bits) : BitConverter.GetBytes((ushort)bits));
        bytes.AddRange(BitConverter.GetBytes(Ebreak()));
        return bytes.ToArray();
    }
}
