using System.Linq.Expressions;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Kernel.Dispatcher;

/// <summary>
/// The handler set of one event and the bookkeeping that turns it into compiled routines. Installs and
/// uninstalls take <see cref="Lock"/>, update the order, the index and the unindexed list incrementally,
/// and mark only the affected routines stale; a stale routine recompiles itself on its next raise.
/// </summary>
internal sealed class EventTable<TArg, TResult>
{
    private const long Gap = 1L << 32;                     // spacing of order labels

    internal readonly object Lock = new();
    internal readonly Event<TArg, TResult> Event;
    internal readonly Dispatcher Dispatcher;
    internal readonly IHandlerOwner Declarer;
    internal readonly long DeclarerFuel;
    internal readonly EventOptions<TArg, TResult> Options;
    internal readonly ParameterExpression Arg = Expression.Parameter(typeof(TArg), "a");

    private readonly SortedBindings<TArg, TResult> _unindexed = new();
    private readonly Func<TArg, TResult> _stale;           // the event's routine while it must recompile
    private EqualityIndex<TArg, TResult>? _index;
    private Binding<TArg, TResult>? _head, _tail;

    /// <summary>Generation of the unindexed handler set: bumped (under Lock) whenever every routine goes stale.</summary>
    internal int Epoch;

    public EventTable(Dispatcher dispatcher, string name, IHandlerOwner declarer, EventOptions<TArg, TResult> options)
    {
        Dispatcher = dispatcher;
        Declarer = declarer;
        DeclarerFuel = declarer.Fuel;
        Options = options;
        _stale = RecompileAndRaise;
        Event = new Event<TArg, TResult>(name, _stale) { Table = this };
    }

    /// <summary>Number of bindings the index selects by key (for tests and diagnostics).</summary>
    public int IndexedCount { get { lock (Lock) return _index?.Count ?? 0; } }

    /// <summary>Adds b at the place <paramref name="options"/> asks for; caller validated the anchor belongs to this table.</summary>
    public void Add(Binding<TArg, TResult> b, InstallOptions options)
    {
        lock (Lock)
        {
            var anchor = options.Anchor as Binding<TArg, TResult>;
            if (anchor is { Installed: false })
                throw new DispatchException($"anchor {anchor} was uninstalled");
            var (prev, next) = options.Order switch
            {
                HandlerOrder.First => (null, _head),
                HandlerOrder.Before => (anchor!.Prev, anchor),
                HandlerOrder.After => (anchor, anchor!.Next),
                _ => (_tail, null),
            };
            Link(b, prev, next);
            Place(b);
        }
    }

    /// <summary>Removes b; false if it was already removed. Raises under way keep their routine.</summary>
    public bool Remove(Binding<TArg, TResult> b)
    {
        lock (Lock)
        {
            if (!b.Installed) return false;
            b.Retire();
            Unlink(b);
            if (b.IndexedBy != null)
            {
                _index!.Remove(b);
                if (_index.Count == 0) { _index = null; Invalidate(); }
            }
            else
            {
                _unindexed.Remove(b);
                Invalidate();
            }
        }
        Dispatcher.Forget(b);
        return true;
    }

    /// <summary>The unindexed handlers merged in order with <paramref name="bucket"/>. Caller holds Lock.</summary>
    public List<Binding<TArg, TResult>> MergedWith(SortedBindings<TArg, TResult> bucket) =>
        SortedBindings<TArg, TResult>.Merge(_unindexed, bucket);

    /// <summary>True if b comes after every unindexed handler in the order. Caller holds Lock.</summary>
    public bool RunsAfterUnindexed(Binding<TArg, TResult> b) => _unindexed.Count == 0 || _unindexed.Items[^1].Label < b.Label;

    /// <summary>Compiles a routine for handlers in order (see DispatchCompiler). Caller holds Lock.</summary>
    public Func<TArg, TResult> CompileSequence(List<Binding<TArg, TResult>> handlers) =>
        DispatchCompiler<TArg, TResult>.Compile(this, handlers);

    // Puts b in the index if one of its conjuncts tests the index's key path (creating the index on the
    // first such guard), else in the unindexed list; marks what changed stale. Caller holds Lock.
    private void Place(Binding<TArg, TResult> b)
    {
        foreach (var c in b.Guard)
        {
            if (c.Term == null) continue;
            if (_index == null) { _index = EqualityIndex<TArg, TResult>.For(this, c.Term); Invalidate(); }
            if (!_index.Accepts(c.Term)) continue;
            b.IndexedBy = c;
            _index.Add(b);
            return;
        }
        _unindexed.Add(b);
        Invalidate();
    }

    // The unindexed set or the index itself changed: every routine is stale. Caller holds Lock.
    private void Invalidate()
    {
        Event.Publish(_stale);
        Epoch++;
        _index?.Invalidate();
    }

    // Slow path of the first raise after a change: compile, publish, run.
    private TResult RecompileAndRaise(TArg arg)
    {
        Func<TArg, TResult> routine;
        lock (Lock)
        {
            routine = Event.Routine;
            if (routine == _stale) Event.Publish(routine = CompileTop());
        }
        return routine(arg);
    }

    // The event's routine: the unindexed sequence, behind the index lookup if there is one. Caller holds Lock.
    private Func<TArg, TResult> CompileTop()
    {
        if (_index == null) return CompileSequence(_unindexed.Items);
        var body = _index.Lookup(Arg, DispatchCompiler<TArg, TResult>.Body(this, _unindexed.Items),
            call => DispatchCompiler<TArg, TResult>.Body(this, _unindexed.Items, call), Epoch);
        return Expression.Lambda<Func<TArg, TResult>>(body, Event.Name + ".raise", [Arg]).Compile();
    }

    // Links b between prev and next (adjacent) and gives it a label between theirs. Caller holds Lock.
    private void Link(Binding<TArg, TResult> b, Binding<TArg, TResult>? prev, Binding<TArg, TResult>? next)
    {
        b.Prev = prev;
        b.Next = next;
        if (prev != null) prev.Next = b; else _head = b;
        if (next != null) next.Prev = b; else _tail = b;
        if (prev == null && next == null) b.Label = 0;
        else if (prev == null) b.Label = next!.Label > long.MinValue + Gap ? next.Label - Gap : Relabel(b);
        else if (next == null) b.Label = prev.Label < long.MaxValue - Gap ? prev.Label + Gap : Relabel(b);
        else b.Label = next.Label - prev.Label >= 2 ? prev.Label + (next.Label - prev.Label) / 2 : Relabel(b);
    }

    // Spreads labels evenly again (order unchanged, so sorted lists stay sorted); returns b's label. Caller holds Lock.
    private long Relabel(Binding<TArg, TResult> b)
    {
        long label = 0;
        for (var x = _head; x != null; x = x.Next, label += Gap) x.Label = label;
        return b.Label;
    }

    private void Unlink(Binding<TArg, TResult> b)
    {
        if (b.Prev != null) b.Prev.Next = b.Next; else _head = b.Next;
        if (b.Next != null) b.Next.Prev = b.Prev; else _tail = b.Prev;
        b.Prev = b.Next = null;
    }
}
