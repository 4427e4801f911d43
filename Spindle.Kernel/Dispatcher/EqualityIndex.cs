using System.Collections.Concurrent;
using System.Linq.Expressions;

namespace Spindle.Kernel.Dispatcher;

/// <summary>
/// The index of an event's equality guards on one key path: a bucket of handlers per key value, each
/// bucket with its own compiled routine (the bucket's handlers merged with the unindexed ones), rebuilt
/// lazily on the first raise after the bucket changes. Writers hold the event table's lock; raises look
/// buckets up without locks.
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

    /// <summary>Adds b (whose IndexedBy term this index accepts) to its bucket and marks the bucket stale.</summary>
    public abstract void Add(Binding<TArg, TResult> b);

    /// <summary>Removes b from its bucket, dropping the bucket when empty.</summary>
    public abstract void Remove(Binding<TArg, TResult> b);

    /// <summary>Marks every bucket stale (the unindexed handlers, merged into each, changed).</summary>
    public abstract void Invalidate();

    /// <summary>The top-level routine body over <paramref name="arg"/> (the parameter the key path reads): run the key's bucket, else <paramref name="miss"/>.</summary>
    public abstract Expression Lookup(ParameterExpression arg, Expression miss);

    /// <summary>Creates the index for the key type of <paramref name="shape"/>.</summary>
    public static EqualityIndex<TArg, TResult> For(EventTable<TArg, TResult> table, IndexTerm shape) =>
        (EqualityIndex<TArg, TResult>)Activator.CreateInstance(
            typeof(EqualityIndex<,,>).MakeGenericType(typeof(TArg), typeof(TResult), shape.Key.Type), table, shape)!;
}

/// <summary>The index for keys of type <typeparamref name="TKey"/>.</summary>
internal sealed class EqualityIndex<TArg, TResult, TKey> : EqualityIndex<TArg, TResult> where TKey : notnull
{
    private readonly EventTable<TArg, TResult> _table;
    private readonly ConcurrentDictionary<TKey, Bucket> _buckets = new();

    public EqualityIndex(EventTable<TArg, TResult> table, IndexTerm shape) : base(shape) => _table = table;

    public override void Add(Binding<TArg, TResult> b)
    {
        var key = (TKey)b.IndexedBy!.Term!.Value;
        if (!_buckets.TryGetValue(key, out var bucket))
            _buckets[key] = bucket = new Bucket(_table);
        bucket.Handlers.Add(b);
        bucket.Invalidate();
        Count++;
    }

    public override void Remove(Binding<TArg, TResult> b)
    {
        var key = (TKey)b.IndexedBy!.Term!.Value;
        var bucket = _buckets[key];
        bucket.Handlers.Remove(b);
        if (bucket.Handlers.Count == 0) _buckets.TryRemove(key, out _);
        bucket.Invalidate();
        Count--;
    }

    public override void Invalidate()
    {
        foreach (var bucket in _buckets.Values) bucket.Invalidate();
    }

    public override Expression Lookup(ParameterExpression arg, Expression miss)
    {
        var bucket = Expression.Variable(typeof(Bucket), "bucket");
        Expression found = Expression.Call(Expression.Constant(_buckets), nameof(_buckets.TryGetValue), null,
            Shape.Key, bucket);
        if (Shape.NotNull != null) found = Expression.AndAlso(Shape.NotNull, found);
        return Expression.Block(typeof(TResult), [bucket],
            Expression.Condition(found,
                Expression.Invoke(Expression.Field(bucket, nameof(Bucket.Routine)), arg),
                miss));
    }

    /// <summary>The handlers guarded on one key value and their compiled routine.</summary>
    internal sealed class Bucket
    {
        private readonly EventTable<TArg, TResult> _table;
        private readonly Func<TArg, TResult> _stale;  // compiles on the next raise
        public readonly SortedBindings<TArg, TResult> Handlers = new();
        public Func<TArg, TResult> Routine;          // read by raises, written under the table lock

        public Bucket(EventTable<TArg, TResult> table)
        {
            _table = table;
            _stale = RecompileAndRaise;
            Routine = _stale;
        }

        // Caller holds the table lock.
        public void Invalidate() => Volatile.Write(ref Routine, _stale);

        // Slow path of the first raise after a change: compile the merged handler list, publish it, run it.
        private TResult RecompileAndRaise(TArg arg)
        {
            Func<TArg, TResult> routine;
            lock (_table.Lock)
            {
                routine = Routine;
                if (routine == _stale)
                    Volatile.Write(ref Routine, routine = _table.CompileSequence(_table.MergedWith(Handlers)));
            }
            return routine(arg);
        }
    }
}
