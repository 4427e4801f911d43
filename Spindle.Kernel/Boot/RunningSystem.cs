using System.Diagnostics;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Services;
using Spindle.Kernel.Trap;
using Spindle.Sdk.Io;
using Spindle.Sdk.Personality;

namespace Spindle.Kernel.Boot;

/// <summary>
/// A system <see cref="SystemBuilder"/> built: the kernel, the linked personality and the first process,
/// ready to run. Call <see cref="Run"/> on the thread that built it; <see cref="Dispose"/> shuts it down
/// (flushes the console, unloads the network stack and stops its card, releases the root file system's host view and the machine's memory).
/// </summary>
public sealed class RunningSystem : IDisposable
{
    private readonly HostFileSystem _fs;
    private readonly List<Machine.Devices.FileBlockDevice> _disks;
    private bool _disposed;

    internal RunningSystem(KernelRoot kernel, HostFileSystem fs, List<Machine.Devices.FileBlockDevice> disks, IConsole console, LinkedPersonality personality,
        ProgramExtensions? extensionCalls, UserStrand firstStrand, IProcessStatus firstProcess, Net.NetStack? network)
    {
        Network = network;
        Kernel = kernel;
        _fs = fs;
        _disks = disks;
        Console = console;
        Personality = personality;
        ExtensionCalls = extensionCalls;
        FirstStrand = firstStrand;
        FirstProcess = firstProcess;
    }

    /// <summary>The kernel (its machine, scheduler and services).</summary>
    public KernelRoot Kernel { get; }

    /// <summary>The console the first process's standard streams are.</summary>
    public IConsole Console { get; }

    /// <summary>The linked personality.</summary>
    public LinkedPersonality Personality { get; }

    /// <summary>The program-facing extension calls, or null if the description turned them off.</summary>
    public ProgramExtensions? ExtensionCalls { get; }

    /// <summary>The network card's driver and protocol stack, or null if the system has no card.</summary>
    public Net.NetStack? Network { get; }

    /// <summary>The first program's first strand.</summary>
    public UserStrand FirstStrand { get; }

    /// <summary>The first program's process as the personality reports it.</summary>
    public IProcessStatus FirstProcess { get; }

    /// <summary>True once the first process has exited.</summary>
    public bool HasExited => FirstProcess.HasExited;

    /// <summary>The first process's exit status as the personality reports it; if the personality never ended it, the personality's reading of how its strand ended.</summary>
    public int ExitStatus => FirstProcess.HasExited ? FirstProcess.ExitStatus : Personality.ExitStatus(FirstStrand.End);

    /// <summary>Wall time the last <see cref="Run"/> took.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>
    /// Runs the CPU until the first process exits or no user strand is left (strands still waiting then
    /// stay blocked: see <see cref="HasExited"/>), flushes the console and returns <see cref="ExitStatus"/>.
    /// </summary>
    public int Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var clock = Stopwatch.StartNew();
        Kernel.Run(() => FirstProcess.HasExited);
        Elapsed = clock.Elapsed;
        Console.Flush();
        return ExitStatus;
    }

    /// <summary>
    /// Shuts the system down: flushes the console, writes the buffer cache back to the disks and closes them, frees
    /// the host view and the machine's memory. Idempotent. Call on the thread that ran it.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Console.Flush();
        Network?.Dispose();
        if (_disks.Count > 0) Kernel.Cache.Sync(-1);
        foreach (var disk in _disks) disk.Dispose();
        _fs.Dispose();
        Kernel.Dispose();
    }
}
