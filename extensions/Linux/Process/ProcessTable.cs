using System.Collections.Generic;

namespace Spindle.Extensions.Linux.Process;

/// <summary>Every process (live or zombie) by pid, and every live thread by tid.</summary>
internal sealed class ProcessTable
{
    private readonly Dictionary<int, LinuxProcess> _processes = new();
    private readonly Dictionary<int, LinuxThread> _threads = new();

    public void Add(LinuxProcess p)
    {
        _processes[p.Pid] = p;
        Created++;
        LastPid = p.Pid;
    }

    /// <summary>Processes added since the table was made (/proc/stat's "processes": forks since boot).</summary>
    public long Created { get; private set; }

    /// <summary>The pid of the process added last (/proc/loadavg's last field); 0 before any.</summary>
    public int LastPid { get; private set; }
    public void Remove(LinuxProcess p) => _processes.Remove(p.Pid);
    public LinuxProcess? Find(int pid) => _processes.GetValueOrDefault(pid);

    public void AddThread(LinuxThread t) => _threads[t.Tid] = t;
    public void RemoveThread(LinuxThread t) => _threads.Remove(t.Tid);
    public LinuxThread? FindThread(int tid) => _threads.GetValueOrDefault(tid);

    /// <summary>Live and zombie processes.</summary>
    public IEnumerable<LinuxProcess> All => _processes.Values;
}
