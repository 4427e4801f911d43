using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Tests.Cpu.Jit;

/// <summary>
/// A hart for one <see cref="RandomProgram"/> run by one engine: two code pages (read, write, execute, so the
/// program can rewrite itself), four data pages, one read-only page, and an unmapped range; frames handed out in
/// a fixed order so that two machines are alike byte for byte. <see cref="Outcome"/> is everything the engines
/// must agree on after each run.
/// </summary>
internal sealed unsafe class DiffMachine : IDisposable
{
    public const ulong Code = 0x10000, Data = 0x40000, ReadOnly = 0x48000, Unmapped = 0x50000;

    private readonly PhysicalMemory _memory = new(16);
    private readonly Hart _hart;
    private readonly List<uint> _frames = new();

    public DiffMachine(ExecutionEngineKind engine, RandomProgram p, byte[] code)
    {
        _hart = new Hart(_memory, engine);
        var table = new PageTable();
        uint next = 1;
        void Map(ulong va, PageRights rights) { table.Map(va, next, rights); _frames.Add(next++); }
        Map(Code, PageRights.All);
        Map(Code + 4096, PageRights.All);
        for (int i = 0; i < 4; i++) Map(Data + (ulong)i * 4096, PageRights.ReadWrite);
        Map(ReadOnly, PageRights.Read);
        for (int i = 0; i < 4; i++)      // data and read-only pages start with a pattern
        {
            Span<byte> f = _memory.Frame(_frames[2 + i]);
            for (int j = 0; j < f.Length; j++) f[j] = (byte)(j * 7 + i);
        }
        int at = (int)(p.Start - Code);
        for (int i = 0; i < code.Length; i++) _memory.Frame(_frames[(at + i) >> 12])[(at + i) & 0xFFF] = code[i];
        _hart.PageTable = table;
        ref RegisterFile r = ref _hart.Registers;
        for (int i = 0; i < 32; i++) { r.X[i] = p.X[i]; r.F[i] = p.F[i]; }
        r.Pc = p.Start;
        r.Fcsr = p.Fcsr;
    }

    /// <summary>Runs the hart with each budget in turn, going on after an ecall (pc + 4) or a budget trap;
    /// returns the outcome after each run.</summary>
    public List<string> Run(long[] budgets)
    {
        var outcomes = new List<string>();
        foreach (long budget in budgets)
        {
            Trap t = _hart.Run(budget);
            outcomes.Add(Outcome(t));
            if (t.Cause == TrapCause.Ecall) _hart.Registers.Pc += 4;
            else if (t.Cause != TrapCause.Budget) break;
        }
        return outcomes;
    }

    // The trap, retired count, pc, fcsr, registers, and a digest of every frame.
    private string Outcome(Trap t)
    {
        ref RegisterFile r = ref _hart.Registers;
        var s = new System.Text.StringBuilder();
        s.Append($"{t} retired {_hart.InstructionsRetired} pc {r.Pc:x} fcsr {r.Fcsr:x}\n");
        for (int i = 0; i < 32; i++) s.Append($"x{i}={r.X[i]:x} ");
        s.Append('\n');
        for (int i = 0; i < 32; i++) s.Append($"f{i}={r.F[i]:x} ");
        s.Append('\n');
        foreach (uint f in _frames) s.Append($"frame {f}: {Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(_memory.Frame(f)))}\n");
        return s.ToString();
    }

    public void Dispose() => _memory.Dispose();
}
