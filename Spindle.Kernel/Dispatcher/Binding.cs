using System.Collections.Concurrent;
using System.Linq.Expressions;
using Spindle.Sdk.Dispatcher;

namespace Spindle.Kernel.Dispatcher;

/// <summary>An installed handler: the capability to uninstall it, charged to its owner.</summary>
public abstract class Binding : IBinding
{
    private volatile bool _installed = true;

    private protected Binding(IHandlerOwner owner, string eventName)
    {
        Owner = owner;
        EventName = eventName;
    }

    /// <summary>The party the handler is charged to.</summary>
    public IHandlerOwner Owner { get; }

    /// <inheritdoc/>
    public string EventName { get; }

    /// <inheritdoc/>
    public bool Installed => _installed;

    /// <inheritdoc/>
    public abstract bool Uninstall();

    /// <summary>The handler delegate (what the binding keeps alive on its owner's behalf).</summary>
    internal abstract Delegate Handler { get; }

    // Called by the event table, under its lock, when the binding leaves the handler set.
    private protected void MarkUninstalled() => _installed = false;

    /// <inheritdoc/>
    public override string ToString() => $"{Owner.Name}@{EventName}";
}

/// <summary>A handler of an Event&lt;TArg, TResult&gt;, with its guard, its place in the order and its call policy.</summary>
internal sealed class Binding<TArg, TResult> : Binding, IPendingWork
{
    internal readonly EventTable<TArg, TResult> Table;
    internal readonly Func<TArg, TResult> Direct;          // the handler as one delegate (closure bound)
    private readonly Func<Expression, Expression> _call;   // the handler call as an expression over an argument
    internal readonly List<Conjunct> Guard;               // ANDed, on Table.Arg; empty = always
    internal readonly long Fuel;                          // meter fuel per call; 0 = called plainly
    internal readonly bool Async;
    private readonly ConcurrentQueue<TArg>? _pending;     // async only: arguments waiting for the work queue

    internal override Delegate Handler => Direct;

    // Owned by Table under its lock.
    internal Conjunct? IndexedBy;                         // the conjunct the index tests instead of the guard
    internal long Label;                                  // position in the order; increasing along Next
    internal Binding<TArg, TResult>? Prev, Next;

    internal Binding(EventTable<TArg, TResult> table, IHandlerOwner owner, Func<TArg, TResult> direct,
        Func<Expression, Expression> call, List<Conjunct> guard, InstallOptions options)
        : base(owner, table.Event.Name)
    {
        Table = table;
        Direct = direct;
        _call = call;
        Guard = guard;
        Fuel = FuelFor(owner.Fuel, options.EphemeralFuel);
        Async = options.Async;
        if (Async) _pending = new ConcurrentQueue<TArg>();
    }

    /// <summary>Fuel for one call: the owner's, tightened by an ephemeral bound; 0 for trusted, non-ephemeral handlers.</summary>
    internal static long FuelFor(long ownerFuel, long ephemeralFuel) =>
        ownerFuel > 0 && ephemeralFuel > 0 ? Math.Min(ownerFuel, ephemeralFuel) : Math.Max(ownerFuel, ephemeralFuel);

    /// <summary>True if a raise may call the handler directly as the whole dispatch (unguarded, trusted, synchronous).</summary>
    internal bool IsBareCall => Fuel == 0 && !Async && Residual().Count == 0;

    /// <summary>The guard conjuncts a raise must still test once the index (if any) selected this binding.</summary>
    internal List<Conjunct> Residual()
    {
        if (IndexedBy == null) return Guard;
        var rest = new List<Conjunct>(Guard.Count);
        foreach (var c in Guard)
            if (!ReferenceEquals(c, IndexedBy)) rest.Add(c);
        return rest;
    }

    /// <summary>The handler call over <paramref name="arg"/>.</summary>
    internal Expression Call(Expression arg) => _call(arg);

    /// <inheritdoc/>
    public override bool Uninstall() => Table.Remove(this);

    // Table: the binding has left the handler set.
    internal void Retire() => MarkUninstalled();

    /// <summary>Raise path of an async handler: queue the argument and post this binding to the work queue.</summary>
    internal void Enqueue(TArg arg)
    {
        _pending!.Enqueue(arg);
        Table.Dispatcher.Queue.Post(this);
    }

    /// <inheritdoc/>
    bool IPendingWork.RunOne()
    {
        if (!_pending!.TryDequeue(out var arg) || !Installed) return false;
        if (Fuel > 0) Containment.TryInvoke(Direct, arg, Owner, Fuel, Owner.AllocationBudget, out _);
        else Direct(arg);
        return true;
    }
}
