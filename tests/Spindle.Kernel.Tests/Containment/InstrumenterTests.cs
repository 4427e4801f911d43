using System.Reflection;
using Spindle.Kernel.Compiler;
using Spindle.Sdk.Runtime;

namespace Spindle.Kernel.Tests.Containment;

public class InstrumenterTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        public static class X
        {
            public static int Sum(int n) { int s = 0; for (int i = 0; i < n; i++) s += i; return s; }
            public static int Spin() { while (true) { } }
            public static int SwallowLoop() { for (;;) { try { throw new InvalidOperationException(); } catch { } } }
            public static int CatchAll() { try { while (true) { } } catch (Exception) { return 42; } }
            public static int CatchAndLoop() { for (;;) { try { while (true) { } } catch { } } }
            public static int Filter() { try { while (true) { } } catch (Exception e) when (e != null) { return 1; } }
            public static int FinallyReturn() { int r = 0; try { while (true) { } } finally { r = Helper(); } }
            static int Helper() { try { return 1; } catch { return 2; } }
            public static int Recurse(int n) => Recurse(n + 1) + 1;
            public static int Leaf(int a) => a * 3 + 1;
            public static int CallsLeaf(int a) => Leaf(a) + 1;
            public static int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
            public static int AllocLoop() { var keep = new List<byte[]>(); while (true) keep.Add(new byte[4096]); }
            public static int Huge() => new long[int.MaxValue / 2].Length;
            public static int StringLoop() { var keep = new List<string>(); string s = ""; while (true) { s = s + "0123456789"; keep.Add(s); } }
            public static int Iterate() => Gen().Take(10).Sum();
            static IEnumerable<int> Gen() { int i = 0; while (true) yield return i++; }
            public static int Lambda() { Func<int, int> f = null!; f = x => f(x + 1); return f(0); }
            public static int Async() => Run().GetAwaiter().GetResult();
            static async Task<int> Run() { await Task.CompletedTask; while (true) { } }
            public static int Switch(int n) { int s = 0; again: switch (n) { case 0: s++; goto again; case 1: return 1; default: return s; } }
        }
        public static class Boot { public static int Ready; static Boot() { while (true) { } } public static int Touch() => Ready; }
        """;

    private static readonly Lazy<Assembly> Assembly = new(() => ExtensionSource.Load(Source, "instr"));

    private static int Call(string method, long fuel = 100_000) => Metered(ExtensionSource.Method<Func<int>>(Assembly.Value, "X", method), fuel);

    private static int Metered(Func<int> f, long fuel)
    {
        Meter.Arm(fuel);
        try { return f(); }
        finally { Meter.Disarm(); }
    }

    [Fact]
    public void OrdinaryCodeComputesTheSameResult()
    {
        var sum = ExtensionSource.Method<Func<int, int>>(Assembly.Value, "X", "Sum");
        Assert.Equal(4950, Metered(() => sum(100), 10_000));
        Assert.Equal(45, Call("Iterate"));
        var fib = ExtensionSource.Method<Func<int, int>>(Assembly.Value, "X", "Fib");
        Assert.Equal(6765, Metered(() => fib(20), 1_000_000));
    }

    [Fact]
    public void UnarmedCodeRunsUnmetered()
    {
        var sum = ExtensionSource.Method<Func<int, int>>(Assembly.Value, "X", "Sum");
        Assert.Equal(49995000, sum(10_000));
    }

    [Fact]
    public void FuelIsChargedPerLoopIteration()
    {
        var sum = ExtensionSource.Method<Func<int, int>>(Assembly.Value, "X", "Sum");
        Meter.Arm(10_000);
        try
        {
            sum(100);
            long used = Meter.FuelUsed;
            Assert.InRange(used, 100, 110);
        }
        finally { Meter.Disarm(); }
        Assert.Throws<MeterExhaustedException>(() => Metered(() => sum(1000), 500));
    }

    [Theory]
    [InlineData("Spin")]
    [InlineData("SwallowLoop")]
    [InlineData("CatchAll")]
    [InlineData("CatchAndLoop")]
    [InlineData("Filter")]
    [InlineData("FinallyReturn")]
    [InlineData("Recurse0")]
    [InlineData("Lambda")]
    [InlineData("Async")]
    [InlineData("Switch")]
    public void RunawayCodeIsStoppedAndCannotCatchTheMeter(string method)
    {
        var e = Assert.Throws<MeterExhaustedException>(() =>
            method == "Recurse0" ? Metered(() => ExtensionSource.Method<Func<int, int>>(Assembly.Value, "X", "Recurse")(0), long.MaxValue)
          : method == "Switch" ? Metered(() => ExtensionSource.Method<Func<int, int>>(Assembly.Value, "X", "Switch")(0), 100_000)
          : Call(method));
        Assert.False(Meter.IsArmed);
        Assert.NotEmpty(e.Message);
    }

    [Fact]
    public void DeepRecursionStopsOnTheStackNotTheProcess()
    {
        var recurse = ExtensionSource.Method<Func<int, int>>(Assembly.Value, "X", "Recurse");
        var e = Assert.Throws<MeterExhaustedException>(() => Metered(() => recurse(0), long.MaxValue));
        Assert.Contains("recursion", e.Message);
    }

    [Fact]
    public void DeepRecursionIsStoppedEveryTimeOnEveryThread()
    {
        var recurse = ExtensionSource.Method<Func<int, int>>(Assembly.Value, "X", "Recurse");
        for (int i = 0; i < 2; i++)   // the second run starts with the stack mark already low
            Assert.Contains("recursion", Assert.Throws<MeterExhaustedException>(() => Metered(() => recurse(0), long.MaxValue)).Message);
        Exception? fault = null;
        var small = new Thread(() => fault = Record.Exception(() => Metered(() => recurse(0), long.MaxValue)), 256 << 10);
        small.Start();
        small.Join();
        Assert.Contains("recursion", Assert.IsType<MeterExhaustedException>(fault).Message);
    }

    [Fact]
    public void LeavesAreNotChargedButEveryCallerIs()
    {
        var leaf = ExtensionSource.Method<Func<int, int>>(Assembly.Value, "X", "Leaf");
        var caller = ExtensionSource.Method<Func<int, int>>(Assembly.Value, "X", "CallsLeaf");
        Assert.Equal(7, Metered(() => leaf(2), 0));
        Assert.Throws<MeterExhaustedException>(() => Metered(() => caller(2), 0));
        Assert.Equal(8, Metered(() => caller(2), 1));
    }

    [Theory]
    [InlineData("AllocLoop")]
    [InlineData("Huge")]
    [InlineData("StringLoop")]
    public void AllocationFloodIsStopped(string method)
    {
        var e = Assert.Throws<MeterExhaustedException>(() => Call(method, long.MaxValue));
        Assert.Contains("allocation", e.Message);
    }

    [Fact]
    public void LoopingStaticConstructorIsStopped()
    {
        var touch = ExtensionSource.Method<Func<int>>(Assembly.Value, "Boot", "Touch");
        var e = Assert.Throws<TypeInitializationException>(() => Metered(touch, 10_000));
        Assert.IsType<MeterExhaustedException>(e.InnerException);
    }

    [Fact]
    public void NestedCallsShareTheOuterBudget()
    {
        var sum = ExtensionSource.Method<Func<int, int>>(Assembly.Value, "X", "Sum");
        Meter.Arm(1_000);
        try
        {
            // The inner call asks for more than the outer has left: it gets the outer's remainder.
            Assert.Throws<MeterExhaustedException>(() => Metered(() => sum(5_000), 1_000_000));
            Assert.True(Meter.IsArmed);
            // The inner call's abort does not abort the outer call, but its fuel is gone.
            Assert.Throws<MeterExhaustedException>(() => sum(10));
        }
        finally { Meter.Disarm(); }
        Assert.False(Meter.IsArmed);
    }

    [Fact]
    public void GarbageIsRefusedWithAClearError()
    {
        var e = Assert.Throws<InstrumentationException>(() => Instrumenter.Instrument([1, 2, 3, 4]));
        Assert.Contains("not a readable .NET assembly", e.Message);
        Assert.Throws<InstrumentationException>(() => Instrumenter.Instrument([]));
    }

    [Fact]
    public void ExternMethodsAreRefused()
    {
        var image = ExtensionSource.Compile("""
            using System.Runtime.InteropServices;
            public static class N { [DllImport("libc")] public static extern int getpid(); }
            """, "extern");
        var e = Assert.Throws<InstrumentationException>(() => Instrumenter.Instrument(image));
        Assert.Contains("getpid", e.Message);
    }

    [Fact]
    public void AMethodTooLargeForTheJitIsRefused()
    {
        string statements = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"x = x * 31 + {i};\n"));
        var image = ExtensionSource.Compile($"public static class Big {{ public static long F(long x) {{ {statements} return x; }} }}", "big");
        var e = Assert.Throws<InstrumentationException>(() => Instrumenter.Instrument(image));
        Assert.Equal("size", e.Rule);
        Assert.Contains("Big::F", e.Message);
    }
}
