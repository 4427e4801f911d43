using Spindle.Kernel.Compiler;

namespace Spindle.Kernel.Tests.Compiler;

/// <summary>`spindle ext build|verify`: exit codes, output file, and one reason per line as file(line,col): rule: what.</summary>
public sealed class ExtToolTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly string _dir;

    public ExtToolTests()
    {
        _dir = Path.Combine(_home.Path, "work");
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => _home.Dispose();

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = ExtTool.Run(args, o, e, _home.Path);
        return (code, o.ToString(), e.ToString());
    }

    private string Write(string name, string text)
    {
        string p = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void BuildWritesASignedAssemblyThatVerifies()
    {
        string src = Write("ok.cs", "public static class Ok { public static int F() => 42; }");
        string dll = Path.Combine(_dir, "ok.dll");
        var (code, stdout, stderr) = Run("build", src, "-o", dll);
        Assert.True(code == 0, stderr);
        Assert.Contains("signed extension", stdout);
        Assert.True(File.Exists(dll));
        var (vcode, vout, verr) = Run("verify", dll);
        Assert.True(vcode == 0, verr);
        Assert.Contains("ok", vout);
    }

    [Fact]
    public void BuildOfAFolderCompilesEveryFile()
    {
        Write("ext/a.cs", "public static class A { public static int F() => B.G(); }");
        Write("ext/sub/b.cs", "public static class B { public static int G() => 1; }");
        Write("ext/obj/ignored.cs", "this is not C#");
        string dll = Path.Combine(_dir, "ext.dll");
        var (code, _, stderr) = Run("build", Path.Combine(_dir, "ext"), "-o", dll);
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(dll));
    }

    [Fact]
    public void RefusalPrintsOneReasonPerLineWithFileLineColumnAndRule()
    {
        string src = Write("bad.cs", "public static class Bad\n{\n    public static void F() => System.GC.Collect();\n}\n");
        string dll = Path.Combine(_dir, "bad.dll");
        var (code, _, stderr) = Run("build", src, "-o", dll);
        Assert.Equal(1, code);
        Assert.False(File.Exists(dll));
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Matches(@"^.+\(\d+,\d+\): [a-z-]+: .+$", l));
        Assert.Contains(lines, l => l.StartsWith(src + "(3,", StringComparison.Ordinal) && l.Contains(": gc: System.GC"));
    }

    [Fact]
    public void VerifyOfSourceChecksWithoutWriting()
    {
        string src = Write("check.cs", "public static class C { public static int F() => 1; }");
        var (code, _, stderr) = Run("verify", src);
        Assert.True(code == 0, stderr);
        Assert.Empty(Directory.GetFiles(_dir, "*.dll"));
        Assert.False(Directory.Exists(Path.Combine(_home.Path, "cache")));
    }

    [Fact]
    public void VerifyRefusesATamperedDll()
    {
        string src = Write("t.cs", "public static class T { public static int F() => 7; }");
        string dll = Path.Combine(_dir, "t.dll");
        Assert.Equal(0, Run("build", src, "-o", dll).Code);
        byte[] b = File.ReadAllBytes(dll);
        b[b.Length - 3] ^= 0x10;
        File.WriteAllBytes(dll, b);
        var (code, _, stderr) = Run("verify", dll);
        Assert.Equal(1, code);
        Assert.Contains("signature: tampered", stderr);
    }

    [Theory]
    [InlineData()]
    [InlineData("frobnicate")]
    [InlineData("build")]
    [InlineData("build", "x.cs", "-o")]
    [InlineData("verify")]
    [InlineData("verify", "a", "b")]
    public void BadUsageExitsTwo(params string[] args)
    {
        var (code, _, stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains("usage:", stderr);
    }

    [Fact]
    public void MissingPathIsAClearError()
    {
        var (code, _, stderr) = Run("build", Path.Combine(_dir, "nope.cs"));
        Assert.Equal(1, code);
        Assert.Contains("no such file or directory", stderr);
        var (vcode, _, verr) = Run("verify", Path.Combine(_dir, "nope.dll"));
        Assert.Equal(1, vcode);
        Assert.Contains("no such file or directory", verr);
    }
}
