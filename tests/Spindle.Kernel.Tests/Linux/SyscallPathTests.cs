using FsCheck.Xunit;
using Spindle.Extensions.Linux.Abi;

namespace Spindle.Kernel.Tests.Linux;

/// <summary>Properties of the system-call path as a whole.</summary>
public class SyscallPathTests
{
    [Fact]
    public void NullCallsAndConsoleWritesAllocateNothing()
    {
        var f = new LinuxFixture();
        f.Console.Discard = true;
        ulong buf = f.Strand.PutString(f.Strand.Scratch(), "x");
        for (int i = 0; i < 100; i++) { f.Call(Sys.getpid); f.Call(Sys.write, 1, buf, 1); } // warm up
        f.Strand.Number = Sys.getpid;
        Assert.Equal(0, SteadyState.Allocated(() => { for (int i = 0; i < 1000; i++) f.Personality.Syscall(f.Strand); }));
        f.Strand.Number = Sys.write;
        f.Strand.Args[0] = 2; f.Strand.Args[1] = buf; f.Strand.Args[2] = 1;
        Assert.Equal(0, SteadyState.Allocated(() => { for (int i = 0; i < 1000; i++) f.Personality.Syscall(f.Strand); }));
    }

    // An empty root: random calls cannot touch anything that matters.
    private static readonly Spindle.Kernel.Services.HostFileSystem EmptyRoot =
        new(Directory.CreateTempSubdirectory("spindle-empty-").FullName);

    [Property(MaxTest = 300)]
    public void AnyCallWithAnyArgumentsAnswersWithoutThrowing(ushort number, ulong a0, ulong a1, ulong a2, ulong a3)
    {
        var f = new LinuxFixture(EmptyRoot);
        f.Strand.Scratch();
        int n = number % 500;
        if (n is Sys.exit or Sys.exit_group) return;
        long r = f.Call(n, a0, a1, a2, a3, a0 ^ a1, a2);
        Assert.True(r >= -4095 || n is Sys.brk or Sys.mmap, $"call {n} answered {r}");
    }
}
