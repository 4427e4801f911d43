using BenchmarkDotNet.Attributes;
using Spindle.Kernel.Boot;
using Spindle.Kernel.Compiler;
using Spindle.Kernel.Trap;
using Spindle.Sdk.Strand;

namespace Spindle.Bench.Syscall;

/// <summary>
/// The null system call in process, through the whole real path: a guest loop of <c>ecall</c> getppid on the
/// hart, the user strand's slice loop, the Trap.Syscall event, the Linux personality loaded as a metered,
/// instrumented extension (as <c>spindle run</c> loads it), the result in a0, and back into the interpreter.
/// One benchmark operation is one system call; the memory diagnoser's figure is bytes per system call.
/// Run: dotnet run -c Release --project bench/Spindle.Bench -- --filter '*SyscallBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class SyscallBenchmarks
{
    private const int Calls = 10_000;
    private const ulong Code = 0x10000;
    private const int ParentPid = 7;

    // li a7, 173 (getppid); loop: ecall; addi s1, s1, 1; j loop. The ecall traps (retires nothing), so a
    // slice of 2 * Calls instructions that starts at the ecall makes exactly Calls system calls and stops at the ecall.
    private static readonly uint[] Loop = [0x0AD00893, 0x00000073, 0x00148493, 0xFF9FF06F];

    private RunningSystem _system = null!;
    private UserStrand _strand = null!;

    /// <summary>Builds a system with the Linux personality whose first program is the guest loop, as a process whose parent is 7.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _system = SystemBuilder.Build(Describe(SpindleHome.Default));
        _strand = _system.FirstStrand;
        _strand.RunSlice(_strand.Handle, 1);    // li a7: now at the ecall
        ulong before = _strand.GetRegister(9);
        NullSyscall();
        if (_strand.GetRegister(9) - before != Calls || _strand.Arg0 != ParentPid || _strand.Pc != Code + 4)
            throw new InvalidOperationException($"the loop made {_strand.GetRegister(9) - before} calls answering {_strand.Arg0}, not {Calls} answering {ParentPid}");
    }

    /// <summary>The null-syscall system: the guest loop as the first program, no extension calls. The kernel test of this path builds the same.</summary>
    public static SystemDescription Describe(string spindleHome)
    {
        byte[] code = new byte[Loop.Length * 4];
        Buffer.BlockCopy(Loop, 0, code, 0, code.Length);
        return new SystemDescription
        {
            Personality = "Linux",
            SpindleHome = spindleHome,
            ExtensionCalls = false,
            Program = new FirstProgram(new ProgramImage.Code(code, Code, 0x100000, 0x200000, 0x400000), "/null-syscall", ["/null-syscall"], [])
            {
                Pid = ParentPid + 1, ParentPid = ParentPid,
            },
        };
    }

    /// <summary>Frees the kernel's memory.</summary>
    [GlobalCleanup]
    public void Cleanup() => _system.Dispose();

    /// <summary>One slice of <see cref="Calls"/> null system calls.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public SliceOutcome NullSyscall()
    {
        SliceResult r = _strand.RunSlice(_strand.Handle, 2 * Calls);
        if (r.Outcome != SliceOutcome.Preempted) throw new InvalidOperationException($"the guest loop ended: {r.Outcome} {_strand.KernelError}");
        return r.Outcome;
    }
}
