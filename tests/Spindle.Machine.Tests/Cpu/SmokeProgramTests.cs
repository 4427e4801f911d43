using System.Diagnostics;
using System.Text;
using Spindle.Machine.Cpu;
using Spindle.Machine.Memory;

namespace Spindle.Machine.Tests.Cpu;

/// <summary>
/// End to end: cross-compiles a freestanding C program, loads its PT_LOAD segments with a minimal
/// loader, runs it on the hart (handling write and exit), and compares its output with qemu-riscv64's.
/// Fails with a clear message if the cross compiler or qemu is missing (scripts/deps.sh installs them).
/// </summary>
public class SmokeProgramTests
{
    private static string Tool(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        Assert.Fail($"{name} not found on PATH: run scripts/deps.sh");
        return "";
    }

    private static (int code, string stdout) Exec(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string so = p.StandardOutput.ReadToEnd();
        string se = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0 || file.Contains("qemu"), $"{file} failed: {se}");
        return (p.ExitCode, so);
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    [Theory, EachEngine]
    public void FreestandingProgramMatchesQemu(string engine)
    {
        string gcc = Tool("riscv64-linux-gnu-gcc"), qemu = Tool("qemu-riscv64");
        string src = Path.Combine(Path.GetDirectoryName(ThisFile())!, "Programs", "smoke.c");
        string exe = Path.Combine(Path.GetTempPath(), $"spindle-smoke-{Environment.ProcessId}");
        // --no-relax: without a crt nothing sets up gp, so gp-relative relaxation must be off.
        Exec(gcc, "-nostdlib", "-static", "-O2", "-march=rv64gc", "-mabi=lp64d", "-Wl,--no-relax", "-o", exe, src);
        try
        {
            (int qemuExit, string expected) = Exec(qemu, exe);
            Assert.Equal(0, qemuExit);
            (int exit, string actual) = RunOnHart(File.ReadAllBytes(exe), engine);
            Assert.Equal(0, exit);
            Assert.Equal(expected, actual);
            Assert.Contains("atomic 99", actual);
        }
        finally { File.Delete(exe); }
    }

    // Loads an ELF64 RISC-V executable's PT_LOAD segments (RWX for simplicity), runs it with a stack,
    // and services write (64) and exit (93). Returns the exit code and what was written.
    private static unsafe (int, string) RunOnHart(byte[] elf, string engine)
    {
        using var mem = new PhysicalMemory(512);
        var table = new PageTable();
        uint nextFrame = 1;
        var output = new StringBuilder();
        ulong entry = BitConverter.ToUInt64(elf, 24), phoff = BitConverter.ToUInt64(elf, 32);
        int phentsize = BitConverter.ToUInt16(elf, 54), phnum = BitConverter.ToUInt16(elf, 56);
        for (int i = 0; i < phnum; i++)
        {
            int ph = (int)phoff + i * phentsize;
            if (BitConverter.ToUInt32(elf, ph) != 1) continue; // PT_LOAD
            ulong off = BitConverter.ToUInt64(elf, ph + 8), va = BitConverter.ToUInt64(elf, ph + 16);
            ulong filesz = BitConverter.ToUInt64(elf, ph + 32), memsz = BitConverter.ToUInt64(elf, ph + 40);
            for (ulong a = va & ~0xFFFUL; a < va + memsz; a += 4096)
                if (!table.TryGet(a, out _)) table.Map(a, nextFrame++, PageRights.All);
            for (ulong k = 0; k < filesz; k++)
            {
                table.TryGet(va + k, out PageTableEntry e);
                mem.Frame(e.Frame)[(int)((va + k) & 0xFFF)] = elf[(int)(off + k)];
            }
        }
        const ulong stackTop = 0x7FFF_0000;
        for (ulong a = stackTop - 16 * 4096; a < stackTop; a += 4096) table.Map(a, nextFrame++, PageRights.ReadWrite);

        var hart = new Hart(mem, EachEngineAttribute.Engine(engine)) { PageTable = table };
        ref RegisterFile r = ref hart.Registers;
        r.Pc = entry;
        r.X[RegisterFile.Sp] = stackTop - 64;
        for (int steps = 0; steps < 1000; steps++)
        {
            Trap t = hart.Run(10_000_000);
            if (t.Cause == TrapCause.Budget) continue;
            Assert.True(t.Cause == TrapCause.Ecall, $"unexpected trap: {t}");
            ulong n = r.X[RegisterFile.A7];
            if (n == 93) return ((int)r.X[RegisterFile.A0], output.ToString());
            Assert.Equal(64UL, n);
            ulong buf = r.X[RegisterFile.A1], len = r.X[RegisterFile.A2];
            for (ulong k = 0; k < len; k++)
            {
                Assert.True(table.TryGet(buf + k, out PageTableEntry e));
                output.Append((char)mem.Frame(e.Frame)[(int)((buf + k) & 0xFFF)]);
            }
            r.X[RegisterFile.A0] = len;
            r.Pc += 4;
        }
        Assert.Fail("program did not exit");
        return (-1, "");
    }
}
