namespace Spindle.Kernel.Tests.Containment;

/// <summary>What the kernel must do with one hostile corpus case, as its header says.</summary>
public enum HostileExpect
{
    /// <summary><c>// expect: reject RULE</c>: the trusted compiler refuses it with that rule.</summary>
    Reject,
    /// <summary><c>// expect: contained handler</c>: it loads; each raise of probe(2) faults and is charged, then the domain is destroyed.</summary>
    ContainedHandler,
    /// <summary><c>// expect: contained load</c>: loading it ends in a DomainException, and nothing of it stays.</summary>
    ContainedLoad,
    /// <summary><c>// expect: contained hoard</c>: its handler keeps memory across calls; the domain is destroyed before the kernel runs out.</summary>
    ContainedHoard,
}

/// <summary>
/// One file of tests/corpus/hostile and its header: leading comment lines
/// <c>// expect: ...</c> (first), then optionally <c>// fault: TEXT</c>, then <c>// class: N</c>.
/// The header ends at the first line that is none of these.
/// </summary>
/// <param name="Name">File name (no folder).</param>
/// <param name="Path">Full path of the file.</param>
/// <param name="Expect">What must happen.</param>
/// <param name="Rule">The rule id for <see cref="HostileExpect.Reject"/>, else null.</param>
/// <param name="Fault">Text the fault (LastFault or the DomainException's message) must contain, ignoring case, or null.</param>
/// <param name="Class">The hole class, 1 to 6.</param>
public sealed record HostileCase(string Name, string Path, HostileExpect Expect, string? Rule, string? Fault, int Class)
{
    /// <summary>The hostile corpus folder, found by walking up from the test binaries.</summary>
    public static string Directory
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                string c = System.IO.Path.Combine(d.FullName, "tests", "corpus", "hostile");
                if (System.IO.Directory.Exists(c)) return c;
            }
            throw new DirectoryNotFoundException("tests/corpus/hostile not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Every case of the corpus, in ordinal order of file name.</summary>
    public static IReadOnlyList<HostileCase> All() =>
        System.IO.Directory.GetFiles(Directory, "*.cs").Order(StringComparer.Ordinal).Select(Parse).ToList();

    /// <summary>The case in file <paramref name="name"/> of the corpus.</summary>
    public static HostileCase Named(string name) => Parse(System.IO.Path.Combine(Directory, name));

    /// <summary>Reads the header of <paramref name="path"/>; throws <see cref="FormatException"/> if it is malformed.</summary>
    public static HostileCase Parse(string path)
    {
        string name = System.IO.Path.GetFileName(path);
        var lines = File.ReadLines(path).ToList();
        if (lines.Count == 0 || !lines[0].StartsWith("// expect: ", StringComparison.Ordinal))
            throw new FormatException($"{name}: the first line must be '// expect: ...'");
        string[] expect = lines[0]["// expect: ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        (HostileExpect kind, string? rule) = expect switch
        {
            ["reject", var r] => (HostileExpect.Reject, r),
            ["contained", "handler"] => (HostileExpect.ContainedHandler, (string?)null),
            ["contained", "load"] => (HostileExpect.ContainedLoad, null),
            ["contained", "hoard"] => (HostileExpect.ContainedHoard, null),
            _ => throw new FormatException($"{name}: unknown expectation '{lines[0]}'"),
        };
        string? fault = null;
        int cls = 0;
        foreach (string line in lines.Skip(1))
        {
            if (line.StartsWith("// fault: ", StringComparison.Ordinal)) fault = line["// fault: ".Length..].Trim();
            else if (line.StartsWith("// class: ", StringComparison.Ordinal)) cls = int.Parse(line["// class: ".Length..].Trim());
            else break;
        }
        if (cls is < 1 or > 6) throw new FormatException($"{name}: missing or invalid '// class: N' header line (N = 1..6)");
        return new HostileCase(name, path, kind, rule, fault, cls);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
