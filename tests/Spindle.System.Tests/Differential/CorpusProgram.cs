using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Differential;

/// <summary>
/// One program of the differential corpus, user/tests/NAME.c, with the run settings it declares in
/// leading comment lines: <c>//! cflags: -lm</c> (extra compiler flags), <c>//! args: a "b c" ''</c> (argv[1..],
/// double or single quotes group words), <c>//! stdin: FILE</c> (a file beside it fed as standard input).
/// </summary>
public sealed record CorpusProgram(string Name, string SourcePath, IReadOnlyList<string> CFlags,
    IReadOnlyList<string> Args, byte[] Stdin)
{
    /// <summary>The names of every program in user/tests, sorted.</summary>
    public static IEnumerable<string> Names() =>
        Directory.GetFiles(Repo.UserTests, "*.c").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    /// <summary>Reads user/tests/<paramref name="name"/>.c and its settings; throws on a malformed setting.</summary>
    public static CorpusProgram Load(string name)
    {
        string path = Path.Combine(Repo.UserTests, name + ".c");
        IReadOnlyList<string> cflags = [], args = [];
        byte[] stdin = [];
        foreach (string line in File.ReadLines(path).TakeWhile(l => l.StartsWith("//!")))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) throw new FormatException($"{path}: setting without ':': {line}");
            string key = line[3..colon].Trim(), value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "cflags": cflags = Words(value); break;
                case "args": args = Words(value); break;
                case "stdin": stdin = File.ReadAllBytes(Path.Combine(Repo.UserTests, value)); break;
                default: throw new FormatException($"{path}: unknown setting '{key}'");
            }
        }
        return new CorpusProgram(name, path, cflags, args, stdin);
    }

    // Splits s into words at spaces; a '...' or "..." span (no escapes) is part of one word.
    private static List<string> Words(string s)
    {
        var words = new List<string>();
        var cur = new global::System.Text.StringBuilder();
        bool inWord = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is '"' or '\'')
            {
                int end = s.IndexOf(c, i + 1);
                if (end < 0) throw new FormatException($"unclosed quote in: {s}");
                cur.Append(s, i + 1, end - i - 1);
                inWord = true;
                i = end;
            }
            else if (c == ' ')
            {
                if (inWord) words.Add(cur.ToString());
                cur.Clear();
                inWord = false;
            }
            else { cur.Append(c); inWord = true; }
        }
        if (inWord) words.Add(cur.ToString());
        return words;
    }
}
