using System.Linq.Expressions;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Kernel.Dispatcher;

/// <summary>
/// The kernel's event dispatcher. Every operation names the owner it acts for; extensions reach it
/// through an <see cref="IDispatcher"/> facade bound to their domain (see <see cref="For"/>).
/// Declares, installs and uninstalls may run on any thread; raises take no lock and allocate nothing.
/// </summary>
public sealed class Dispatcher
{
    private readonly object _ownersLock = new();
    private readonly Dictionary<IHandlerOwner, HashSet<Binding>> _byOwner = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates a dispatcher whose asynchronous handlers run on <paramref name="queue"/> (a new queue if null).</summary>
    public Dispatcher(WorkQueue? queue = null) => Queue = queue ?? new WorkQueue();

    /// <summary>Where asynchronous handlers wait until the kernel drains it.</summary>
    public WorkQueue Queue { get; }

    /// <summary>
    /// Declares an event for <paramref name="declarer"/>: its intrinsic handler (installed first, unguarded,
    /// charged to the declarer) and its authorizer, result and default handlers. Throws DispatchException on bad input.
    /// </summary>
    public Event<TArg, TResult> Declare<TArg, TResult>(IHandlerOwner declarer, string name, Func<TArg, TResult> intrinsic,
        out Binding intrinsicBinding, EventOptions<TArg, TResult>? options = null)
    {
        ArgumentNullException.ThrowIfNull(declarer);
        if (string.IsNullOrWhiteSpace(name)) throw new DispatchException("an event needs a name");
        if (intrinsic == null) throw new DispatchException($"event {name}: the intrinsic handler is null");
        var table = new EventTable<TArg, TResult>(this, name, declarer, options ?? new EventOptions<TArg, TResult>());
        intrinsicBinding = Add(table, declarer, intrinsic, DirectCall(intrinsic), [], default);
        return table.Event;
    }

    /// <summary>
    /// Installs <paramref name="handler"/> on <paramref name="ev"/> for <paramref name="owner"/>, after the
    /// event's authorizer accepts it (and possibly imposes a guard). Throws GuardRejectedException for a guard
    /// that is not a side-effect-free predicate, InstallRefusedException if refused, DispatchException on bad input.
    /// </summary>
    public Binding Install<TArg, TResult>(IHandlerOwner owner, Event<TArg, TResult> ev, Func<TArg, TResult> handler,
        Expression<Func<TArg, bool>>? guard = null, InstallOptions options = default)
    {
        if (handler == null) throw new DispatchException($"event {ev?.Name}: the handler is null");
        return Install(owner, ev, handler, DirectCall(handler), guard, options);
    }

    /// <summary>Installs a handler that receives <paramref name="closure"/> with each argument; otherwise as Install.</summary>
    public Binding Install<TArg, TResult, TClosure>(IHandlerOwner owner, Event<TArg, TResult> ev,
        Func<TClosure, TArg, TResult> handler, TClosure closure, Expression<Func<TArg, bool>>? guard = null,
        InstallOptions options = default)
    {
        if (handler == null) throw new DispatchException($"event {ev?.Name}: the handler is null");
        var bound = Expression.Constant(closure, typeof(TClosure));
        return Install(owner, ev, a => handler(closure, a), arg => DelegateCall.Of(handler, bound, arg), guard, options);
    }

    /// <summary>Uninstalls every handler <paramref name="owner"/> still has installed (domain destruction); returns how many.</summary>
    public int UninstallAll(IHandlerOwner owner)
    {
        Binding[] bindings;
        lock (_ownersLock)
        {
            if (!_byOwner.Remove(owner, out var set)) return 0;
            bindings = [.. set];
        }
        int removed = 0;
        foreach (var b in bindings)
            if (b.Uninstall()) removed++;
        return removed;
    }

    /// <summary>Bindings <paramref name="owner"/> has installed and not uninstalled.</summary>
    public IReadOnlyCollection<Binding> BindingsOf(IHandlerOwner owner)
    {
        lock (_ownersLock) return _byOwner.TryGetValue(owner, out var set) ? [.. set] : [];
    }

    /// <summary>An IDispatcher that acts for <paramref name="owner"/>: what an extension in that domain is handed.</summary>
    public IDispatcher For(IHandlerOwner owner) => new OwnedDispatcher(this, owner ?? throw new ArgumentNullException(nameof(owner)));

    // Common install path: validate, analyze the guard, ask the authorizer, add.
    private Binding<TArg, TResult> Install<TArg, TResult>(IHandlerOwner owner, Event<TArg, TResult> ev,
        Func<TArg, TResult> direct, Func<Expression, Expression> call, Expression<Func<TArg, bool>>? guard, InstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var table = TableOf(ev);
        if (options.EphemeralFuel < 0) throw new DispatchException($"event {ev.Name}: ephemeral fuel must not be negative");
        if (options.Order is HandlerOrder.Before or HandlerOrder.After
            && (options.Anchor as Binding<TArg, TResult>)?.Table != table)
            throw new DispatchException($"event {ev.Name}: {options.Order} needs an anchor installed on the same event");
        var conjuncts = guard == null ? [] : GuardAnalyzer.Analyze(guard, table.Arg);
        var imposed = Authorize(table, owner, guard, options);
        if (imposed != null) conjuncts.InsertRange(0, Analyze(imposed, table, "imposed guard"));
        return Add(table, owner, direct, call, conjuncts, options);
    }

    // Asks the event's authorizer (contained if the declarer is untrusted); returns the imposed guard, or throws if refused.
    private static Expression<Func<TArg, bool>>? Authorize<TArg, TResult>(EventTable<TArg, TResult> table, IHandlerOwner owner,
        Expression<Func<TArg, bool>>? guard, InstallOptions options)
    {
        if (table.Options.Authorizer is not { } authorizer) return null;
        var request = new InstallRequest<TArg>(table.Event.Name, owner.Name, guard, options);
        Authorization<TArg> decision;
        if (table.DeclarerFuel == 0) decision = authorizer(request);
        else if (!Containment.TryInvoke(authorizer.Invoke, request, table.Declarer, table.DeclarerFuel, table.Declarer.AllocationBudget, out decision))
            throw new InstallRefusedException($"event {table.Event.Name}: the authorizer faulted");
        if (!decision.Accepted)
            throw new InstallRefusedException($"event {table.Event.Name}: install by {owner.Name} refused: {Domain.FaultText.Cut(decision.Reason ?? "no reason given")}");
        return decision.ImposedGuard;
    }

    // Analyzes an authorizer's guard; its faults are the authorizer's, reported as a refusal.
    private static List<Conjunct> Analyze<TArg, TResult>(Expression<Func<TArg, bool>> guard, EventTable<TArg, TResult> table, string what)
    {
        try { return GuardAnalyzer.Analyze(guard, table.Arg); }
        catch (GuardRejectedException e) { throw new InstallRefusedException($"event {table.Event.Name}: {what} invalid: {e.Message}"); }
    }

    private Binding<TArg, TResult> Add<TArg, TResult>(EventTable<TArg, TResult> table, IHandlerOwner owner, Func<TArg, TResult> direct,
        Func<Expression, Expression> call, List<Conjunct> guard, InstallOptions options)
    {
        var b = new Binding<TArg, TResult>(table, owner, direct, call, guard, options);
        table.Add(b, options);
        lock (_ownersLock)
        {
            if (!_byOwner.TryGetValue(owner, out var set)) _byOwner[owner] = set = [];
            set.Add(b);
        }
        return b;
    }

    // Table: b was uninstalled.
    internal void Forget(Binding b)
    {
        lock (_ownersLock)
            if (_byOwner.TryGetValue(b.Owner, out var set) && set.Remove(b) && set.Count == 0)
                _byOwner.Remove(b.Owner);
    }

    private EventTable<TArg, TResult> TableOf<TArg, TResult>(Event<TArg, TResult> ev)
    {
        if (ev == null) throw new DispatchException("the event is null");
        if (ev.Table is not EventTable<TArg, TResult> table || table.Dispatcher != this)
            throw new DispatchException($"event {ev.Name} was not declared with this dispatcher");
        return table;
    }

    // The handler's call over an argument expression (a direct method call where DelegateCall allows it).
    private static Func<Expression, Expression> DirectCall<TArg, TResult>(Func<TArg, TResult> handler) =>
        arg => DelegateCall.Of(handler, arg);
}
