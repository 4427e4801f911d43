using Spindle.Kernel.Compiler;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>The compile cache: a warm build does not run Roslyn; a change of source or a damaged entry does.</summary>
public sealed class CacheTests
{
    private static ExtensionSource Src(string body) =>
        new("Cached", [("Cached.cs", "public static class Cached { public static int F() => " + body + "; }")]);

    [Fact]
    public void SecondBuildDoesNotInvokeRoslyn()
    {
        using var home = new TestHome();
        var cold = new ExtensionCompiler(home.Path);
        var first = cold.Build(Src("1"));
        Assert.True(first.Succeeded);
        Assert.False(first.FromCache);
        Assert.Equal(1, cold.RoslynRuns);

        var warm = new ExtensionCompiler(home.Path);           // a fresh kernel boot, same home
        var second = warm.Build(Src("1"));
        Assert.True(second.FromCache);
        Assert.Equal(0, warm.RoslynRuns);
        Assert.Equal(first.Assembly, second.Assembly);
    }

    [Fact]
    public void ChangedSourceIsRebuilt()
    {
        using var home = new TestHome();
        var c = new ExtensionCompiler(home.Path);
        c.Build(Src("1"));
        var other = c.Build(Src("2"));
        Assert.False(other.FromCache);
        Assert.Equal(2, c.RoslynRuns);
    }

    [Fact]
    public void DamagedCacheEntryIsRebuiltNotLoaded()
    {
        using var home = new TestHome();
        var c = new ExtensionCompiler(home.Path);
        c.Build(Src("1"));
        foreach (var f in Directory.GetFiles(Path.Combine(home.Path, "cache", "extensions")))
        {
            byte[] b = File.ReadAllBytes(f);
            b[b.Length / 2] ^= 0xFF;
            File.WriteAllBytes(f, b);
        }
        var fresh = new ExtensionCompiler(home.Path);
        var again = fresh.Build(Src("1"));
        Assert.True(again.Succeeded);
        Assert.False(again.FromCache);
        Assert.Equal(1, fresh.RoslynRuns);
        Assert.Empty(ExtensionVerifier.Verify(again.Assembly, fresh.Key, ExtensionPolicy.Default));
    }

    [Fact]
    public void DifferentGrantsGetDifferentKeys()
    {
        var src = Src("1");
        Assert.NotEqual(CompileCache.KeyOf(src, new ExtensionPolicy([])), CompileCache.KeyOf(src, new ExtensionPolicy(["Spindle.Sdk.X"])));
        Assert.Equal(CompileCache.KeyOf(src, ExtensionPolicy.Default), CompileCache.KeyOf(Src("1"), ExtensionPolicy.Default));
    }

    [Fact]
    public void RefusedSourceIsNotCached()
    {
        using var home = new TestHome();
        var c = new ExtensionCompiler(home.Path);
        var bad = new ExtensionSource("Bad", [("Bad.cs", "public static class Bad { public static void F() => System.GC.Collect(); }")]);
        Assert.False(c.Build(bad).Succeeded);
        Assert.False(c.Build(bad).Succeeded);
        Assert.Equal(2, c.RoslynRuns);
    }
}
