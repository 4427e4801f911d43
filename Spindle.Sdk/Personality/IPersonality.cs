using Spindle.Sdk.Trap;

namespace Spindle.Sdk.Personality;

/// <summary>
/// The service an operating-system personality exports from its domain (with
/// <see cref="IExtensionContext.Export{T}"/>) so that the kernel can start its first process: the only
/// way the kernel and the command line talk to a personality. The personality links itself into the
/// kernel when its domain is initialized (handlers on the trap events); this interface only adds what
/// happens once per boot. The kernel calls it on the CPU's thread, under the meter, before the CPU runs.
/// </summary>
public interface IPersonality
{
    /// <summary>The personality's name ("linux").</summary>
    string Name { get; }

    /// <summary>Prints each system call strace-style on the console's error stream from now on (or stops).</summary>
    void TraceSyscalls(bool on);

    /// <summary>
    /// Replaces the root of the name space (by default the host file system service the personality was
    /// granted, as is) with an in-memory copy of that file system made now: later writes never reach the
    /// host. Call before the first process starts. Returns the number of entries copied, or a negated errno.
    /// </summary>
    int UseMemoryRoot();

    /// <summary>
    /// Mounts <paramref name="fs"/> on the absolute <paramref name="path"/> of the name space (after the root is chosen,
    /// before the first process starts). Returns 0, or a negated errno as mount(2) would (-ENOENT, -ENOTDIR, -EBUSY).
    /// </summary>
    int Mount(string path, Vfs.IFileSystem fs);

    /// <summary>
    /// Makes the directory <paramref name="path"/> (absolute, in the name space) the library prefix, as qemu-user's
    /// <c>-L</c>: an absolute path a program names that exists under the prefix is that file, any other resolves as
    /// usual (call after the root and the mounts are chosen). Returns 0, or a negated errno (-EINVAL, -ENOENT, -ENOTDIR).
    /// </summary>
    int UseLibraryPrefix(string path);

    /// <summary>
    /// Makes the loaded program in <paramref name="strand"/> (not yet run) the first thread of a new
    /// process described by <paramref name="start"/>, with the console's streams as descriptors 0, 1, 2.
    /// Returns the process's status, which the kernel reads to learn when and how it ended; null if
    /// <paramref name="start"/> is invalid (empty executable, relative working directory, bad ranges).
    /// </summary>
    IProcessStatus? StartProcess(IUserStrand strand, ProcessStart start);

    /// <summary>
    /// The exit status a shell of this personality reports for a strand that ended as <paramref name="end"/> says
    /// (Linux: the status, or 128+N for signal N, a fault as its signal and an abort as SIGABRT; 0 while running):
    /// what the command line answers for a program whose process reported none.
    /// </summary>
    int ExitStatus(StrandEnd end);
}

/// <summary>A process the kernel started through a personality.</summary>
/// <param name="Pid">Its process id (the strand's id).</param>
/// <param name="ParentPid">The parent process id it reports (0 for init).</param>
/// <param name="Uid">Real and effective user id.</param>
/// <param name="Gid">Real and effective group id.</param>
/// <param name="Executable">The executable's absolute path (/proc/self/exe).</param>
/// <param name="WorkingDirectory">The absolute working directory in the personality's name space.</param>
/// <param name="BrkStart">First byte of the program break (end of the loaded image).</param>
/// <param name="MapBase">Lowest address for mappings the kernel chooses.</param>
/// <param name="MapLimit">End (exclusive) of the mapping range.</param>
public sealed record ProcessStart(int Pid, int ParentPid, uint Uid, uint Gid, string Executable, string WorkingDirectory,
    ulong BrkStart, ulong MapBase, ulong MapLimit);

/// <summary>How a started process stands. Reading it never blocks and never changes it.</summary>
public interface IProcessStatus
{
    /// <summary>True once every thread of the process has ended.</summary>
    bool HasExited { get; }

    /// <summary>The exit status as the personality's shell reports it (Linux: the exit code, or 128+N if signal N killed it). Meaningful once <see cref="HasExited"/>.</summary>
    int ExitStatus { get; }

    /// <summary>How the process ended, for a person, when it did not simply exit (Linux: "killed by SIGSEGV"); null while it runs or if it exited.</summary>
    string? Termination { get; }
}
