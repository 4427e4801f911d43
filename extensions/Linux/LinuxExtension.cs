using System.Text;
using Spindle.Extensions.Linux.Files;
using Spindle.Extensions.Linux.Process;
using Spindle.Extensions.Linux.Signals;
using Spindle.Sdk;
using Spindle.Sdk.Io;
using Spindle.Sdk.Net;
using Spindle.Sdk.Personality;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Time;
using Spindle.Sdk.Trap;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Linux;

/// <summary>
/// The personality's entry point when the kernel loads extensions/Linux as an extension. Initialize
/// imports the host services the kernel granted this domain (file system, console, clock, entropy), the
/// trap events and the strand service, links a <see cref="LinuxPersonality"/> onto the trap events
/// through the domain's dispatcher, and exports it as <see cref="IPersonality"/>. A domain the kernel
/// granted no host services (the compiled code loaded as a library, as in tests) links nothing and
/// exports nothing: the kernel's import of <see cref="IPersonality"/> then fails with a clear error.
/// </summary>
public sealed class LinuxExtension : IExtension
{
    /// <summary>Links the personality into the kernel if the host services were granted.</summary>
    public void Initialize(IExtensionContext context)
    {
        if (!context.TryImport<IHostFileSystem>(out var fs)) return;
        if (!context.TryImport<IConsole>(out var console)) return;
        if (!context.TryImport<IClock>(out var clock)) return;
        if (!context.TryImport<IEntropySource>(out var entropy)) return;
        context.TryImport<Sdk.PhysAddr.IPhysAddrService>(out var memory);   // optional: /proc/meminfo's figures
        var personality = new LinuxPersonality(new LinuxServices(fs, console, clock, entropy, memory));
        personality.Attach(context.Dispatcher, context.Import<ITrapEvents>(), context.Import<ILifecycleEvents>(), context.Import<IStrandService>());
        // The network stack loads after the personality: its services are asked for when a socket needs them.
        personality.UseNetwork(context.Dispatcher, () => context.TryImport<IUdp>(out var udp) ? udp : null,
            () => context.TryImport<ITcp>(out var tcp) ? tcp : null, () => context.TryImport<IMbufPool>(out var pool) ? pool : null);
        context.Export<IPersonality>(new LinuxService(personality, fs, clock));
    }

    // IPersonality over one linked personality.
    private sealed class LinuxService(LinuxPersonality personality, IHostFileSystem fs, IClock clock) : IPersonality
    {
        public string Name => "linux";

        public void TraceSyscalls(bool on) => personality.TraceSyscalls(on);

        // Copies the host file system into a fresh in-memory root; nothing changes if the copy fails.
        public int UseMemoryRoot()
        {
            var root = new MemoryFs(clock);
            int copied = root.Populate(fs);
            if (copied >= 0) personality.UseRoot(root);
            return copied;
        }

        public int Mount(string path, IFileSystem fs) =>
            string.IsNullOrEmpty(path) || path[0] != '/' || fs is null ? -Errno.EINVAL : personality.Mount(Encoding.UTF8.GetBytes(path), fs);

        public int UseLibraryPrefix(string path) =>
            string.IsNullOrEmpty(path) || path[0] != '/' ? -Errno.EINVAL : personality.UseLibraryPrefix(Encoding.UTF8.GetBytes(path));

        public IProcessStatus? StartProcess(IUserStrand strand, ProcessStart start)
        {
            if (strand is null || start is null || string.IsNullOrEmpty(start.Executable)
                || string.IsNullOrEmpty(start.WorkingDirectory) || start.WorkingDirectory[0] != '/'
                || start.Pid <= 0 || start.ParentPid < 0 || start.MapBase >= start.MapLimit || start.BrkStart > start.MapBase)
                return null;
            var process = personality.CreateProcess(new ProcessIdentity(start.Pid, start.ParentPid, start.Uid, start.Gid),
                start.Executable, start.WorkingDirectory, start.BrkStart, start.MapBase, start.MapLimit);
            personality.AdoptStrand(strand, process);
            return new Status(process);
        }

        public int ExitStatus(StrandEnd end) => Termination.ShellStatus(Termination.WaitStatusOf(end));
    }

    // A process's status read straight from the personality's process object.
    private sealed class Status(LinuxProcess process) : IProcessStatus
    {
        public bool HasExited => process.HasExited;
        public int ExitStatus => process.ExitCode;
        public string? Termination => process.HasExited ? Signals.Termination.Describe(process.WaitStatus) : null;
    }
}
