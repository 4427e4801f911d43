using Spindle.Kernel.Compiler;
using Spindle.Kernel.Domain;
using Spindle.Kernel.Extensions;
using Spindle.Kernel.Strand;
using Spindle.Kernel.Tests.Compiler;
using Spindle.Kernel.Tests.Extensions;
using Spindle.Sdk.Strand;
using KernelDispatcher = Spindle.Kernel.Dispatcher.Dispatcher;

namespace Spindle.Kernel.Tests.Domain;

/// <summary>A scheduling policy installed by an extension is tied to its domain: destroying the domain restores round-robin.</summary>
public sealed class DomainPolicyTests : IDisposable
{
    private readonly TestHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void DestroyingTheDomain_UninstallsItsPolicy()
    {
        var compiler = new ExtensionCompiler(_home.Path);
        var files = Directory.GetFiles(Repo.PathOf("extensions", "Schedulers"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .Select(f => (f, File.ReadAllText(f)))
            .Append(("Entry.cs", """
                public sealed class Entry : Spindle.Sdk.IExtension
                {
                    public void Initialize(Spindle.Sdk.IExtensionContext c) =>
                        c.Import<Spindle.Sdk.Strand.IStrandService>().InstallPolicy(new Spindle.Extensions.Schedulers.StrideScheduler());
                }
                """));
        var built = compiler.Build(new Spindle.Kernel.Compiler.ExtensionSource("stride", files));
        Assert.True(built.Succeeded, string.Join("\n", built.Violations));

        var dispatcher = new KernelDispatcher();
        var scheduler = new Scheduler(dispatcher, authorizer: (Spindle.Kernel.Dispatcher.IHandlerOwner installer, ISchedulerPolicy p, out string reason) => { reason = ""; return true; });
        var linker = new Linker(dispatcher, image => ExtensionVerifier.Verify(image, compiler.Key, ExtensionPolicy.Default).Select(v => v.ToString()).ToList());
        linker.Public.ExportPerImporter<IStrandService>(d => new DomainStrandService(scheduler.For(d), d));
        string before = scheduler.Policy.Name;

        var domain = linker.Load("stride", built.Assembly!);
        Assert.Equal("stride", scheduler.Policy.Name);
        linker.Destroy(domain);
        Assert.Equal(before, scheduler.Policy.Name);
    }

    [Fact]
    public void PerImporterExports_AreMadeForEachImporter_AndCannotBeExportedTwice()
    {
        var linker = new Linker(new KernelDispatcher(), _ => []);
        var seen = new List<string>();
        linker.Public.ExportPerImporter<IComparable<int>>(d => { seen.Add(d.Name); return 0; });
        Assert.Throws<DomainException>(() => linker.Public.ExportPerImporter<IComparable<int>>(d => 1));
        Assert.Throws<DomainException>(() => linker.Public.Export<IComparable<int>>(2));
        var a = linker.Combine("a", linker.Public);
        var importer = linker.CreateKernelDomain("importer");
        linker.Resolve(importer, a);
        Assert.True(importer.TryImport<IComparable<int>>(out _));
        Assert.Equal(["importer"], seen);
    }
}
