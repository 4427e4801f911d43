using System.Runtime.CompilerServices;
using Spindle.Kernel.Domain;
using Spindle.Kernel.Tests.Containment;
using Spindle.Sdk;

namespace Spindle.Kernel.Tests.Domain;

public class LinkerTests
{
    // An extension that logs through the kernel's log and exports a comparer.
    private const string Hello = """
        using System;
        using System.Collections.Generic;
        using Spindle.Sdk;
        public sealed class Hello : IExtension, IComparer<int>
        {
            public void Initialize(IExtensionContext context)
            {
                context.Import<IObserver<string>>().OnNext("hello from " + context.Name);
                context.Export<IComparer<int>>(this);
            }
            public int Compare(int a, int b) => b.CompareTo(a);
        }
        """;

    private static readonly Lazy<byte[]> HelloImage = new(() => ExtensionSource.Build(Hello, "hello"));

    private static (Linker, Log) NewKernel()
    {
        var linker = new Linker(new Spindle.Kernel.Dispatcher.Dispatcher());
        var log = new Log();
        linker.Public.Export<IObserver<string>>(log);
        return (linker, log);
    }

    private static ProtectionDomain Load(Linker linker, string name, byte[] image, params ProtectionDomain[] imports)
    {
        var domain = linker.CreateVerified(name, image);
        linker.LinkAndInitialize(domain, imports);
        return domain;
    }

    [Fact]
    public void ExtensionImportsFromPublicAndExportsToImporters()
    {
        var (linker, log) = NewKernel();
        var hello = Load(linker, "hello", HelloImage.Value);
        Assert.Equal(["hello from hello"], log.Lines);
        Assert.True(hello.IsInitialized);

        var client = linker.CreateKernelDomain("client");
        Assert.False(client.TryImport<IComparer<int>>(out _));
        linker.Resolve(client, hello);
        Assert.True(client.TryImport<IComparer<int>>(out var comparer));
        Assert.True(comparer.Compare(1, 2) > 0);
    }

    [Fact]
    public void GuardedDomainAsksItsAuthorizer()
    {
        var (linker, _) = NewKernel();
        var asked = new List<string>();
        var privileged = linker.CreateKernelDomain("privileged", importer => { asked.Add(importer.Name); return importer.Name == "trusted"; });
        privileged.Export<IComparable<int>>(42);
        var trusted = linker.CreateKernelDomain("trusted");
        var other = linker.CreateKernelDomain("other");

        linker.Resolve(trusted, privileged);
        var e = Assert.Throws<DomainException>(() => linker.Resolve(other, privileged));
        Assert.Contains("refused by the authorizer of privileged", e.Message);
        Assert.Equal(["trusted", "other"], asked);
        Assert.True(trusted.TryImport<IComparable<int>>(out _));
        Assert.False(other.TryImport<IComparable<int>>(out _));
    }

    [Fact]
    public void ExtensionImportingWhatItWasNotGrantedIsRefused()
    {
        var (linker, _) = NewKernel();
        var image = ExtensionSource.Build("""
            using System; using Spindle.Sdk;
            public sealed class Greedy : IExtension
            {
                public void Initialize(IExtensionContext c) => c.Import<IComparable<int>>();
            }
            """, "greedy");
        var e = Assert.Throws<DomainException>(() => Load(linker, "greedy", image));
        Assert.Contains("Greedy.Initialize faulted: ServiceNotGrantedException", e.Message);
        Assert.Null(linker.Find("greedy"));
    }

    [Fact]
    public void CombinedDomainExportsTheUnionAndKeepsItsPartsGuards()
    {
        var (linker, _) = NewKernel();
        var a = linker.CreateKernelDomain("a");
        var b = linker.CreateKernelDomain("b", importer => importer.Name != "outsider");
        a.Export<IComparable<int>>(1);
        b.Export<IFormattable>(2.5);
        var both = linker.Combine("a+b", a, b);
        var insider = linker.CreateKernelDomain("insider");
        linker.Resolve(insider, both);
        Assert.True(insider.TryImport<IComparable<int>>(out _));
        Assert.True(insider.TryImport<IFormattable>(out _));
        var e = Assert.Throws<DomainException>(() => linker.Resolve(linker.CreateKernelDomain("outsider"), both));
        Assert.Contains("authorizer of b", e.Message);
    }

    [Fact]
    public void ExtensionsLinkAgainstEachOthersAssemblies()
    {
        var (linker, log) = NewKernel();
        var greeterImage = ExtensionSource.Build("""
            using Spindle.Sdk;
            public interface IGreeter { string Greet(string who); }
            public sealed class Greeter : IExtension, IGreeter
            {
                public void Initialize(IExtensionContext c) => c.Export<IGreeter>(this);
                public string Greet(string who) => "hi " + who;
            }
            """, "greeter");
        var userImage = ExtensionSource.Build("""
            using System; using Spindle.Sdk;
            public sealed class User : IExtension
            {
                public void Initialize(IExtensionContext c) => c.Import<IObserver<string>>().OnNext(c.Import<IGreeter>().Greet(c.Name));
            }
            """, "user", greeterImage);
        var greeter = Load(linker, "greeter", greeterImage);

        // Without Resolve, the reference to the greeter's assembly is an unresolved import.
        var e = Assert.Throws<DomainException>(() => Load(linker, "user", userImage));
        Assert.Contains("unresolved import: assembly 'greeter'", e.Message);

        Load(linker, "user", userImage, greeter);
        Assert.Contains("hi user", log.Lines);
    }

    [Fact]
    public void ReferenceToANonGrantedBaseAssemblyIsRefused()
    {
        var (linker, _) = NewKernel();
        var image = Spindle.Kernel.Compiler.Instrumenter.Instrument(ExtensionSource.Compile("""
            using Spindle.Sdk;
            public sealed class Chatty : IExtension { public void Initialize(IExtensionContext c) => System.Console.WriteLine("x"); }
            """, "chatty", [ExtensionSource.Platform("System.Console")]));
        var e = Assert.Throws<DomainException>(() => Load(linker, "chatty", image));
        Assert.Contains("assembly 'System.Console' is not granted", e.Message);
    }

    [Fact]
    public void BadInputGetsClearErrors()
    {
        var (linker, _) = NewKernel();
        Assert.Contains("not a loadable assembly", Assert.Throws<DomainException>(() => linker.CreateVerified("junk", [1, 2, 3])).Message);
        Assert.Null(linker.Find("junk"));
        Assert.Contains("invalid domain name", Assert.Throws<DomainException>(() => linker.CreateKernelDomain(" ")).Message);
        Assert.Contains("exists", Assert.Throws<DomainException>(() => linker.CreateKernelDomain("public")).Message);
        Assert.Contains("not an interface", Assert.Throws<DomainException>(() => linker.Public.Export(typeof(string), "s")).Message);
        Assert.Contains("does not implement", Assert.Throws<DomainException>(() => linker.Public.Export(typeof(IFormattable), "s")).Message);
        Assert.Contains("already exported", Assert.Throws<DomainException>(() => linker.Public.Export<IObserver<string>>(new Log())).Message);
        Assert.Contains("itself", Assert.Throws<DomainException>(() => linker.Resolve(linker.Public, linker.Public)).Message);
        Assert.Throws<DomainException>(() => linker.Combine("none"));
    }

    [Fact]
    public void DestroyUninstallsRevokesWithdrawsAndUnloads()
    {
        var (linker, _) = NewKernel();
        var binding = new Binding();
        var client = linker.CreateKernelDomain("client");
        var table = new Spindle.Kernel.Capability.ExternTable();
        var (weak, handle) = LoadAndDestroy(linker, client, binding, table);

        Assert.True(binding.Disposed);
        Assert.Equal(Spindle.Sdk.Capability.CapabilityError.Revoked, table.TryGet<object>(handle, out _));
        Assert.False(client.TryImport<IComparer<int>>(out _));
        Assert.Null(linker.Find("hello"));
        for (int i = 0; i < 20 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(weak.IsAlive, "the destroyed domain's load context was not collected");
    }

    // Kept out of line so no reference into the extension survives in the caller's frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference, int) LoadAndDestroy(Linker linker, ProtectionDomain client, Binding binding, Spindle.Kernel.Capability.ExternTable table)
    {
        var hello = Load(linker, "hello", HelloImage.Value);
        linker.Resolve(client, hello);
        Assert.True(client.TryImport<IComparer<int>>(out var comparer));
        Assert.True(hello.Run(() => comparer.Compare(1, 2)));
        hello.Track(binding);
        int handle = hello.Externalize(table, comparer);
        var weak = new WeakReference(hello.LoadContext);
        linker.Destroy(hello);
        Assert.True(hello.IsDestroyed);
        linker.Destroy(hello); // idempotent
        return (weak, handle);
    }
}
