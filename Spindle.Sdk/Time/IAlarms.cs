using Spindle.Sdk.Dispatcher;

namespace Spindle.Sdk.Time;

// Alarms for extensions (SPIN's Clock.SetAlarm): an extension may not start host threads, timers or tasks,
// so the kernel runs its timeouts. Contract: an alarm is owned by the domain that created it; Set and Cancel
// run on the CPU's thread; Fired is raised on the CPU's thread (by a kernel strand) once per Set whose
// deadline passes, with the scheduler clock's time, and not at all after Cancel or once the domain is gone.

/// <summary>One alarm: at most one deadline pending; setting it again replaces the deadline.</summary>
public interface IAlarm
{
    /// <summary>Raised once when the pending deadline passes, with the clock's time then (ns). Install a handler on it.</summary>
    Event<long, bool> Fired { get; }

    /// <summary>The pending deadline in ns of the scheduler clock (<see cref="Strand.IStrandService.Now"/>), or -1 if none.</summary>
    long Deadline { get; }

    /// <summary>Makes <paramref name="deadlineNs"/> the pending deadline (one already passed fires at the next chance).</summary>
    void Set(long deadlineNs);

    /// <summary>Drops the pending deadline, if any.</summary>
    void Cancel();
}

/// <summary>The alarm service as a domain imports it: alarms charged to that domain.</summary>
public interface IAlarms
{
    /// <summary>Creates an alarm with no deadline; its event is named after <paramref name="name"/>.</summary>
    IAlarm Create(string name);
}
