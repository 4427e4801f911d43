using Spindle.Kernel.Dispatcher;
using Spindle.Kernel.Strand;
using Spindle.Sdk.Dispatcher;
using Spindle.Sdk.Net;
using Spindle.Sdk.Strand;
using Spindle.Sdk.Time;

namespace Spindle.Kernel.Time;

/// <summary>
/// One alarm (SPIN's Clock.SetAlarm) of a domain: a kernel strand charged to the domain waits on a queue until
/// the pending deadline, then raises <see cref="Fired"/> on the CPU's thread. Contract: CPU's thread only. A
/// later deadline does not wake the strand (it wakes at the old one and waits on); an earlier one does, so
/// re-arming a timeout on every packet costs a store, not a context switch. Disposing it (the domain going)
/// ends the strand; nothing fires afterwards.
/// </summary>
internal sealed class Alarm : IAlarm, IDisposable
{
    private readonly Scheduler _scheduler;
    private readonly IWaitQueue _wake;
    private bool _disposed;

    public Alarm(Scheduler scheduler, IHandlerOwner owner, IDispatcher dispatcher, string name)
    {
        _scheduler = scheduler;
        Fired = NetEvents.Declare<long>(dispatcher, "Alarm." + name);
        _wake = scheduler.CreateWaitQueue("alarm " + name);
        scheduler.SpawnKernel(owner, "alarm " + name, Boot.KernelRoot.AsyncHandlerPriority, Run);
    }

    public Event<long, bool> Fired { get; }

    public long Deadline { get; private set; } = -1;

    public void Set(long deadlineNs)
    {
        long old = Deadline;
        Deadline = Math.Max(0, deadlineNs);
        if (old < 0 || Deadline < old) _wake.WakeOne();
    }

    public void Cancel() => Deadline = -1;

    public void Dispose()
    {
        _disposed = true;
        _wake.WakeOne();
    }

    // The strand: waits for the deadline (or for none), fires once per deadline reached.
    private async Task Run(StrandHandle self)
    {
        while (!_disposed)
        {
            long deadline = Deadline, now = _scheduler.Clock.Now;
            if (deadline < 0) await _wake.Wait(self);
            else if (now < deadline) await _wake.Wait(self, deadline - now);
            else
            {
                Deadline = -1;
                Fired.Raise(now);
            }
        }
    }
}

/// <summary>The alarm service as one domain imports it: every alarm's strand and event are charged to the domain and end with it.</summary>
internal sealed class DomainAlarms(Scheduler scheduler, Dispatcher.Dispatcher dispatcher, Domain.ProtectionDomain domain) : IAlarms
{
    public IAlarm Create(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("an alarm needs a name", nameof(name));
        var alarm = new Alarm(scheduler, domain, dispatcher.For(domain), $"{domain.Name}.{name}");
        domain.Track(alarm);
        return alarm;
    }
}
