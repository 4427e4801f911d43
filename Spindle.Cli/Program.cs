namespace Spindle.Cli;

/// <summary>The `spindle` command: one subcommand per class, dispatched by name.</summary>
public static class Program
{
    private static readonly (string Name, string Summary, Func<string[], int> Execute)[] Commands =
    [
        ("run", "run one RISC-V Linux program, like qemu-riscv64", RunCommand.Execute),
        ("boot", "boot the machine: /sbin/init and a shell from an in-memory root (built from user/)", BootCommand.Execute),
        ("ext", "build and verify C# kernel extensions (signed by this kernel)", ExtCommand.Execute),
        ("bench", "measure the paper's tables: Spindle vs host Linux vs SPIN 1995", BenchCommand.Execute),
    ];

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine("usage: spindle COMMAND [ARGS...]\n\ncommands:");
            foreach (var c in Commands) Console.WriteLine($"  {c.Name,-8} {c.Summary}");
            return args.Length == 0 ? 2 : 0;
        }
        foreach (var c in Commands)
            if (c.Name == args[0]) return c.Execute(args[1..]);
        Console.Error.WriteLine($"spindle: unknown command '{args[0]}' (try --help)");
        return 2;
    }
}
