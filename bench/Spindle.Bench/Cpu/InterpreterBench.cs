using BenchmarkDotNet.Attributes;
using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;

namespace Spindle.Bench.Cpu;

/// <summary>
/// Hart interpreter throughput on a hand-assembled loop mixing loads, stores, ALU, compressed
/// instructions, a multiply and a branch. The reported time is per retired instruction
/// (MIPS = 1000 / ns). Run: dotnet run -c Release --project bench/Spindle.Bench -- --filter '*InterpreterBench*' --job short
/// </summary>
[ShortRunJob]
public unsafe class InterpreterBench
{
    private const int Iterations = 1_000_000;
    private const int InstructionsPerIteration = 9;
    private const ulong Code = 0x10000, Data = 0x20000;

    // loop: ld t1,0(a0); c.add t0,t1; sd t0,8(a0); c.addi a1,-1; xor t2,t0,a1; slli t3,t2,3;
    //       c.add a2,t3; mul a3,a2,a1; c.bnez a1,loop; c.ebreak
    private static readonly byte[] Loop =
    [
        0x03, 0x33, 0x05, 0x00, 0x9A, 0x92, 0x23, 0x34, 0x55, 0x00, 0xFD, 0x15, 0xB3, 0xC3, 0xB2, 0x00,
        0x13, 0x9E, 0x33, 0x00, 0x72, 0x96, 0xB3, 0x06, 0xB6, 0x02, 0xFD, 0xF1, 0x02, 0x90,
    ];

    private PhysicalMemory _memory = null!;
    private Hart _hart = null!;

    [GlobalSetup]
    public void Setup()
    {
        _memory = new PhysicalMemory(4);
        var table = new PageTable();
        table.Map(Code, 1, PageRights.ReadExecute);
        table.Map(Data, 2, PageRights.ReadWrite);
        Loop.CopyTo(_memory.Frame(1));
        _hart = new Hart(_memory) { PageTable = table };
    }

    [GlobalCleanup]
    public void Cleanup() => _memory.Dispose();

    [Benchmark(OperationsPerInvoke = Iterations * InstructionsPerIteration)]
    public ulong LoopMix()
    {
        ref RegisterFile r = ref _hart.Registers;
        r.Pc = Code;
        r.X[RegisterFile.A0] = Data;
        r.X[RegisterFile.A1] = Iterations;
        Trap t = _hart.Run(long.MaxValue);
        if (t.Cause != TrapCause.Breakpoint) throw new InvalidOperationException(t.ToString());
        return r.X[RegisterFile.A3];
    }
}
