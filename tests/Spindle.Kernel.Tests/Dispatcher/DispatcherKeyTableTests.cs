using FsCheck.Xunit;
using Spindle.Kernel.Dispatcher;

namespace Spindle.Kernel.Tests.Dispatcher;

/// <summary>The index's key table on its own: dense and hashed layouts, tombstones, rebuilds, every key type.</summary>
public class DispatcherKeyTableTests
{
    private sealed class Entry<TKey>(TKey key, int value) : KeyedEntry<TKey>(key)
    {
        public readonly int Value = value;
    }

    // Applies (key, value) sets (value > 0) and removals (value <= 0) to the table and a Dictionary, then checks
    // every key ever touched, plus its neighbours when integral, finds exactly what the Dictionary holds.
    private static void CheckAgainstModel<TKey>(KeyTable<TKey, Entry<TKey>> table, IEnumerable<(TKey Key, int Value)> ops,
        IEnumerable<TKey>? probes = null) where TKey : notnull
    {
        var model = new Dictionary<TKey, int>();
        var seen = new HashSet<TKey>(probes ?? []);
        foreach (var (key, value) in ops)
        {
            seen.Add(key);
            if (value > 0) { table.Set(new Entry<TKey>(key, value)); model[key] = value; }
            else Assert.Equal(model.Remove(key), table.Remove(key));
            Assert.Equal(model.Count, table.Count);
        }
        foreach (var key in seen)
            Assert.Equal(model.TryGetValue(key, out int v) ? v : (int?)null, table.Find(key)?.Value);
        Assert.Equal(model.OrderBy(p => p.Value).Select(p => p.Value), table.Entries().Select(e => e.Value).OrderBy(v => v));
    }

    [Fact]
    public void SmallKeyRange_IsDense_AndAFarKeySwitchesToHashing()
    {
        var table = new KeyTable<long, Entry<long>>();
        for (long k = 0; k < 1000; k++) table.Set(new Entry<long>(k, (int)k + 1));
        Assert.True(table.IsDense);
        table.Set(new Entry<long>(1L << 40, -5));
        Assert.False(table.IsDense);
        for (long k = 0; k < 1000; k++) Assert.Equal((int)k + 1, table.Find(k)!.Value);
        Assert.Equal(-5, table.Find(1L << 40)!.Value);
        Assert.Null(table.Find(1000));
        Assert.Null(table.Find(-1));
    }

    [Fact]
    public void NegativeHugeAndSparseKeys_AreFound_AndTheirNeighboursAreNot()
    {
        long[] keys = [long.MinValue, long.MinValue + 1, -1_000_000_007, -1, 0, 1, 4096, 1L << 33, 3L << 33, long.MaxValue - 1, long.MaxValue];
        var table = new KeyTable<long, Entry<long>>();
        CheckAgainstModel(table, keys.Select((k, i) => (k, i + 1)),
            keys.SelectMany(k => new[] { unchecked(k - 1), k, unchecked(k + 1) }));
        Assert.False(table.IsDense);
    }

    [Fact]
    public void CollidingKeys_ProbePastTombstones_AndSurviveRebuilds()
    {
        // Multiples of 2^32 share their low bits; with removals in between, probe chains cross tombstones.
        var ops = new List<(long, int)>();
        for (int round = 0; round < 4; round++)
        {
            for (long k = 0; k < 300; k++) ops.Add((k << 32, round * 1000 + (int)k + 1));
            for (long k = round; k < 300; k += 3) ops.Add((k << 32, 0));
        }
        CheckAgainstModel(new KeyTable<long, Entry<long>>(), ops);
    }

    [Property(MaxTest = 200)]
    public void RandomSetsAndRemovals_MatchADictionary(int[] raw, bool sparse)
    {
        var ops = raw.Select(x => (Key: sparse ? (long)x * 0x1_0000_0001L : x % 97 - 20, Value: x % 5 == 0 ? 0 : Math.Abs(x % 1000) + 1));
        CheckAgainstModel(new KeyTable<long, Entry<long>>(), ops);
    }

    [Fact]
    public void NarrowSignedUnsignedEnumBoolCharAndStringKeys_AreDistinguished()
    {
        CheckAgainstModel<sbyte>(new KeyTable<sbyte, Entry<sbyte>>(), new (sbyte, int)[] { (-128, 1), (-1, 2), (0, 3), (127, 4), (-1, 0) },
            Enumerable.Range(-128, 256).Select(i => (sbyte)i));
        CheckAgainstModel<byte>(new KeyTable<byte, Entry<byte>>(), new (byte, int)[] { (0, 1), (255, 2), (128, 3) },
            Enumerable.Range(0, 256).Select(i => (byte)i));
        CheckAgainstModel<ushort>(new KeyTable<ushort, Entry<ushort>>(), new (ushort, int)[] { (65535, 1), (1, 2) }, [0, 65534]);
        CheckAgainstModel<int>(new KeyTable<int, Entry<int>>(), new (int, int)[] { (int.MinValue, 1), (-1, 2), (int.MaxValue, 3) }, [0, 1]);
        CheckAgainstModel<uint>(new KeyTable<uint, Entry<uint>>(), new (uint, int)[] { (uint.MaxValue, 1), (0, 2) }, [1, uint.MaxValue - 1]);
        CheckAgainstModel<ulong>(new KeyTable<ulong, Entry<ulong>>(), new (ulong, int)[] { (ulong.MaxValue, 1), (0, 2), (1UL << 63, 3) }, [1]);
        CheckAgainstModel<Proto>(new KeyTable<Proto, Entry<Proto>>(), new (Proto, int)[] { (Proto.Udp, 1), (Proto.Tcp, 2), (Proto.Udp, 0) }, [(Proto)0]);
        CheckAgainstModel<bool>(new KeyTable<bool, Entry<bool>>(), new (bool, int)[] { (true, 1) }, [false]);
        CheckAgainstModel<char>(new KeyTable<char, Entry<char>>(), new (char, int)[] { ('a', 1), ('\uffff', 2) }, ['b']);
        var strings = new KeyTable<string, Entry<string>>();
        CheckAgainstModel(strings, Enumerable.Range(0, 200).Select(i => ("key" + i, i + 1)).Concat([("key7", 0), ("", 500)]),
            ["nope", "KEY1"]);
        Assert.Null(strings.Find(null!));   // a null string key (a null field) misses rather than throwing
    }
}
