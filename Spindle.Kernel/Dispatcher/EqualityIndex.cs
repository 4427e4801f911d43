using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Spindle.Kernel.Dispatcher;

/// <summary>
/// The index of an event's equality guards on one key path: a bucket of handlers per key value, found by
/// a lock-free <see cref="KeyTable{TKey, TEntry}"/>. A bucket that is one bare handler ordered after every
/// unindexed handler (the common case: one trusted handler per system-call number) is run by the event's
/// routine itself, so every such bucket shares one code shape: the handler's method called directly on the
/// target in the entry when it is the method most such buckets share (typically one lambda closed over the
/// key), else through the handler's delegate. Any other bucket has its own compiled routine (its handlers
/// merged with the unindexed ones), rebuilt lazily on the first raise after it changes. Writers hold the
/// event table's lock.
/// </summary>
internal abstract class EqualityIndex<TArg, TResult>
{
    protected EqualityIndex(IndexTerm shape) => Shape = shape;

    /// <summary>The key path and its null checks (from the first term indexed).</summary>
    public IndexTerm Shape { get; }

    /// <summary>Number of bindings indexed.</summary>
    public int Count { get; protected set; }

    /// <summary>True if <paramref name="term"/> tests this index's key path.</summary>
    public bool Accepts(IndexTerm term) => GuardAnalyzer.SameKey(term.Key, Shape.Key);

    /// <summary>Adds b (whose IndexedBy term this index accepts) to its bucket and republishes the bucket.</summary>
    public abstract void Add(Binding<TArg, TResult> b);

    /// <summary>Removes b from its bucket, dropping the bucket when empty.</summary>
    public abstract void Remove(Binding<TArg, TResult> b);

    /// <summary>Marks every bucket routine stale (the unindexed handlers, merged into each, changed).</summary>
    public abstract void Invalidate();

    /// <summary>
    /// The top-level routine body over <paramref name="arg"/>, compiled for the table's <paramref name="epoch"/>:
    /// no bucket for the key runs <paramref name="miss"/>; a one-bare-handler bucket runs
    /// <paramref name="fire"/>(the call of its handler over arg); any other bucket runs its own routine.
    /// </summary>
    public abstract Expression Lookup(ParameterExpression arg, Expression miss, Func<Expression, Expression> fire, int epoch);

    /// <summary>Creates the index for the key type of <paramref name="shape"/>.</summary>
    public static EqualityIndex<TArg, TResult> For(EventTable<TArg, TResult> table, IndexTerm shape) =>
        (EqualityIndex<TArg, TResult>)Activator.CreateInstance(
            typeof(EqualityIndex<,,>).MakeGenericType(typeof(TArg), typeof(TResult), shape.Key.Type), table, shape)!;
}

/// <summary>The index for keys of type <typeparamref name="TKey"/>.</summary>
internal sealed class EqualityIndex<TArg, TResult, TKey> : EqualityIndex<TArg, TResult> where TKey : notnull
{
    private readonly EventTable<TArg, TResult> _table;
    private readonly KeyTable<TKey, Entry> _entries = new();
    private readonly Dictionary<MethodInfo, HandlerShape> _shapes = [];  // one per handler method seen; writers only

    public EqualityIndex(EventTable<TArg, TResult> table, IndexTerm shape) : base(shape) => _table = table;

    public override void Add(Binding<TArg, TResult> b)
    {
        var key = (TKey)b.IndexedBy!.Term!.Value;
        var bucket = _entries.Find(key)?.Bucket ?? new Bucket(this, key);
        bucket.Handlers.Add(b);
        bucket.Invalidate();
        Publish(bucket);
        Count++;
    }

    public override void Remove(Binding<TArg, TResult> b)
    {
        var key = (TKey)b.IndexedBy!.Term!.Value;
        var bucket = _entries.Find(key)!.Bucket;
        bucket.Handlers.Remove(b);
        bucket.Invalidate();
        if (bucket.Handlers.Count == 0) _entries.Remove(key);
        else Publish(bucket);
        Count--;
    }

    public override void Invalidate()
    {
        foreach (var e in _entries.Entries()) e.Bucket.Invalidate();
    }

    public override Expression Lookup(ParameterExpression arg, Expression miss, Func<Expression, Expression> fire, int epoch)
    {
        var entry = Expression.Variable(typeof(Entry), "entry");
        Expression find = Expression.Call(Expression.Constant(_entries), nameof(KeyTable<TKey, Entry>.Find), null, Shape.Key);
        if (Shape.NotNull != null) find = Expression.Condition(Shape.NotNull, find, Expression.Constant(null, typeof(Entry)));
        var handler = Expression.Field(entry, nameof(Entry.Single));
        var bucket = Expression.Field(entry, nameof(Entry.Bucket));
        Expression shared = fire(Expression.Invoke(handler, arg));
        if (CommonShape() is { } shape)
            shared = Expression.Condition(Expression.Equal(Expression.Field(entry, nameof(Entry.Shape)), Expression.Constant(shape)),
                fire(Expression.Call(Expression.Convert(Expression.Field(entry, nameof(Entry.Target)), shape.Method.DeclaringType!), shape.Method, arg)),
                shared);
        return Expression.Block(typeof(TResult), [entry],
            Expression.Assign(entry, find),
            Expression.Condition(Expression.Equal(entry, Expression.Constant(null, typeof(Entry))), miss,
                Expression.Condition(Expression.NotEqual(Expression.Field(entry, nameof(Entry.Epoch)), Expression.Constant(epoch)),
                    Expression.Call(bucket, nameof(Bucket.Restart), null, arg),
                    Expression.Condition(Expression.Equal(handler, Expression.Constant(null, handler.Type)),
                        Expression.Invoke(Expression.Field(bucket, nameof(Bucket.Routine)), arg),
                        shared))));
    }

    // The shape most one-bare-handler entries have (the routine calls its method inline), or null. Caller holds the table lock.
    private HandlerShape? CommonShape()
    {
        var count = new Dictionary<HandlerShape, int>();
        foreach (var e in _entries.Entries())
            if (e.Shape != null) count[e.Shape] = count.GetValueOrDefault(e.Shape) + 1;
        return count.Count == 0 ? null : count.MaxBy(p => p.Value).Key;
    }

    // Publishes bucket's entry for the table's current epoch. Caller holds the table lock.
    private void Publish(Bucket bucket)
    {
        var handlers = bucket.Handlers.Items;
        var single = handlers.Count == 1 && handlers[0].IsBareCall && _table.RunsAfterUnindexed(handlers[0]) ? handlers[0].Direct : null;
        HandlerShape? shape = null;
        if (single != null && DelegateCall.OnTarget(single, _table.Arg) && !_shapes.TryGetValue(single.Method, out shape))
            _shapes[single.Method] = shape = new HandlerShape(single.Method);
        _entries.Set(new Entry(bucket, _table.Epoch, single, shape));
    }

    /// <summary>A handler method shared by one-bare-handler buckets: the routine may call it inline on the entry's target.</summary>
    internal sealed class HandlerShape(MethodInfo method)
    {
        public readonly MethodInfo Method = method;
    }

    /// <summary>
    /// What a raise finds for a key: the bucket, and for the epoch (unindexed handler set) it was made in,
    /// the bucket's one bare handler if that is all the bucket needs, with its method's shape and target when
    /// the routine may call it directly. Immutable: writers replace it whole.
    /// </summary>
    internal sealed class Entry(Bucket bucket, int epoch, Func<TArg, TResult>? single, HandlerShape? shape) : KeyedEntry<TKey>(bucket.Key)
    {
        public readonly Bucket Bucket = bucket;
        public readonly int Epoch = epoch;
        public readonly Func<TArg, TResult>? Single = single;
        public readonly HandlerShape? Shape = shape;
        public readonly object? Target = shape == null ? null : single!.Target;
    }

    /// <summary>The handlers guarded on one key value and their compiled routine.</summary>
    internal sealed class Bucket
    {
        private readonly EqualityIndex<TArg, TResult, TKey> _index;
        private readonly Func<TArg, TResult> _stale;  // compiles on the next raise
        public readonly TKey Key;
        public readonly SortedBindings<TArg, TResult> Handlers = new();
        public Func<TArg, TResult> Routine;          // read by raises, written under the table lock

        public Bucket(EqualityIndex<TArg, TResult, TKey> index, TKey key)
        {
            _index = index;
            Key = key;
            _stale = RecompileAndRaise;
            Routine = _stale;
        }

        // Caller holds the table lock.
        public void Invalidate() => Volatile.Write(ref Routine, _stale);

        // Slow path of a raise that found this bucket's entry made in another epoch than its routine: republish
        // the entry for the current epoch (if the bucket is still indexed) and raise again from the top. No
        // handler has run yet, so the raise simply starts over on the current routine.
        [MethodImpl(MethodImplOptions.NoInlining)]
        public TResult Restart(TArg arg)
        {
            var table = _index._table;
            lock (table.Lock)
            {
                var entry = _index._entries.Find(Key);
                if (entry?.Bucket == this && entry.Epoch != table.Epoch) _index.Publish(this);
            }
            return table.Event.Raise(arg);
        }

        // Slow path of the first raise after a change: compile the merged handler list, publish it, run it.
        private TResult RecompileAndRaise(TArg arg)
        {
            var table = _index._table;
            Func<TArg, TResult> routine;
            lock (table.Lock)
            {
                routine = Routine;
                if (routine == _stale)
                    Volatile.Write(ref Routine, routine = table.CompileSequence(table.MergedWith(Handlers)));
            }
            return routine(arg);
        }
    }
}
