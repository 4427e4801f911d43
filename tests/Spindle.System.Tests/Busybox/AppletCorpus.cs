namespace Spindle.System.Tests.Busybox;

/// <summary>
/// Busybox command lines run under Spindle and under qemu-riscv64 (<see cref="BusyboxAppletTests"/>): each is
/// <c>busybox ARGV...</c> with optional stdin, in a work folder holding <see cref="Populate"/>'s files. A
/// command names no absolute path and prints no time, so both runs must agree byte for byte.
/// </summary>
public static class AppletCorpus
{
    /// <summary>
    /// One command: its name in the test list, argv after "busybox", stdin, and the expected stdout where qemu
    /// cannot be the oracle: find -exec and xargs re-execute busybox through /proc/self/exe, which qemu-user
    /// hands to the host as an execve of a RISC-V program (ENOEXEC without binfmt_misc; glibc's execvp then
    /// runs it as a shell script). Such output was checked by hand against the files <see cref="Populate"/> writes.
    /// </summary>
    public sealed record Case(string Name, string[] Argv, string Stdin = "", string? Expected = null);

    /// <summary>Every command by name.</summary>
    public static readonly IReadOnlyList<Case> Cases =
    [
        new("echo", ["echo", "hello", "world"]),
        new("echo-e", ["echo", "-e", "a\\tb\\nc\\0101"]),
        new("printf", ["printf", "%s=%d %5.2f %x %c|%-4s|\\n", "x", "42", "3.14159", "255", "Z", "ab"]),
        new("ls", ["ls", "tree", "tree/a"]),
        new("ls-R", ["ls", "-R", "tree"]),
        new("ls-1a", ["ls", "-1a", "tree/a"]),
        new("cat", ["cat", "lines", "nums"]),
        new("cat-n-stdin", ["cat", "-n", "-"], "one\ntwo\n\nthree\n"),
        new("sort", ["sort", "lines"]),
        new("sort-n", ["sort", "-n", "nums"]),
        new("sort-ru", ["sort", "-r", "-u", "lines"]),
        new("sort-key", ["sort", "-t", ",", "-k", "2", "-n", "table.csv"]),
        new("uniq-c", ["uniq", "-c"], "a\na\nb\nc\nc\nc\n"),
        new("wc", ["wc", "lines", "text"]),
        new("wc-l-stdin", ["wc", "-l"], "1\n2\n3\n"),
        new("head", ["head", "-n", "2", "lines"]),
        new("tail", ["tail", "-n", "2", "lines"]),
        new("tail-c", ["tail", "-c", "7", "text"]),
        new("cut", ["cut", "-d", ",", "-f", "1,3", "table.csv"]),
        new("cut-c", ["cut", "-c", "2-4", "lines"]),
        new("tr", ["tr", "a-z", "A-Z"], "Hello, World\n"),
        new("tr-d", ["tr", "-d", "aeiou"], "the quick brown fox\n"),
        new("sed-s", ["sed", "-n", "s/an/AN/gp", "lines"]),
        new("sed-script", ["sed", "-e", "2d", "-e", "$a\\\nthe end", "-e", "s/^/> /", "lines"]),
        new("awk-sum", ["awk", "-F", ",", "NR > 1 { s += $2; n[$3]++ } END { print s, NR; for (c in n) k++; print k }", "table.csv"]),
        new("awk-printf", ["awk", "BEGIN { printf \"%.3f %d %s %e\\n\", atan2(1, 1) * 4, 7 / 2, substr(\"spindle\", 2, 3), 12345.678 }"]),
        new("awk-func", ["awk", "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) } { print $1, fib($1) }"], "5\n10\n15\n"),
        new("awk-split", ["awk", "{ n = split($0, p, \" \"); print n, toupper(p[1]), length($0) }", "text"]),
        new("grep-n", ["grep", "-n", "an", "lines"]),
        new("grep-cv", ["grep", "-c", "-v", "a", "lines"]),
        new("grep-E", ["grep", "-E", "^(b|c)", "lines"]),
        new("grep-none", ["grep", "zzz", "lines"]),
        new("grep-r", ["grep", "-r", "deep", "tree"]),
        new("find-name", ["find", "tree", "-name", "*.txt"]),
        new("find-type", ["find", "tree", "-type", "d"]),
        new("xargs", ["xargs", "-n", "2", "echo", "x"], "a b c d e\n"),
        new("seq", ["seq", "1", "3", "10"]),
        new("seq-s", ["seq", "-s", ",", "5"]),
        new("expr-mul", ["expr", "3", "*", "7"]),
        new("expr-match", ["expr", "spindle", ":", "spi\\(.*\\)"]),
        new("expr-zero", ["expr", "1", "-", "1"]),
        new("test-f", ["test", "-f", "lines"]),
        new("test-gt", ["test", "5", "-gt", "7"]),
        new("bracket-d", ["[", "-d", "tree", "]"]),
        new("basename", ["basename", "/a/b/file.tar.gz", ".gz"]),
        new("dirname", ["dirname", "/a/b/file.tar.gz"]),
        new("md5sum", ["md5sum", "lines", "text"]),
        new("sha256sum", ["sha256sum", "lines"]),
        new("sha1sum-stdin", ["sha1sum"], "abc"),
        new("od", ["od", "-c", "nums"]),
        new("hexdump", ["hexdump", "-C", "lines"]),
        new("rev-tac-nl", ["sh", "-c", "rev lines; tac lines; nl lines"]),
        new("fold-paste", ["sh", "-c", "fold -w 10 text; paste -d : lines nums"]),
        new("comm-join-diff", ["sh", "-c", "sort lines > s; printf 'apple\\nfig\\n' > t; comm s t; join s t; diff s t; echo $?"]),
        new("cmp", ["sh", "-c", "cmp lines lines && echo same; cmp lines nums; echo $?"]),
        new("dd", ["dd", "if=lines", "bs=4", "count=2", "status=none"]),
        new("true-false", ["sh", "-c", "true; echo $?; false; echo $?"]),
        new("yes-head", ["sh", "-c", "yes spin | head -n 3"]),
        new("uname-m", ["uname", "-m"]),
        new("kill-l", ["kill", "-l"]),
        new("sleep", ["sh", "-c", "sleep 0.1; echo slept"]),
        new("stat-size", ["stat", "-c", "%s %n %F", "lines", "tree"]),
        new("gzip-roundtrip", ["sh", "-c", "gzip -c text > t.gz && gunzip -c t.gz | cmp - text && echo same; gzip -c < text | md5sum; gzip -t t.gz; echo $?"]),
        new("gzip-files", ["sh", "-c", "cp text t && gzip t && ls t* && gunzip t.gz && cat t | wc -c"]),
        new("tar-roundtrip", ["sh", "-c", "tar cf a.tar tree && tar tf a.tar | sort && mkdir x && cd x && tar xf ../a.tar && cat tree/a/b/c.txt"]),
        new("tar-gz", ["sh", "-c", "tar czf a.tgz tree && tar tzf a.tgz | sort && tar xzOf a.tgz tree/e.log"]),
        new("sh-pipes", ["sh", "-c", "cat lines | sort | uniq -c | sort -rn | head -n 2"]),
        new("sh-pipe-status", ["sh", "-c", "false | true; echo $?; true | false; echo $?"]),
        new("sh-subshell", ["sh", "-c", "x=outer; (x=inner; echo $x); echo $x; (cd tree && ls); ls"]),
        new("sh-loops", ["sh", "-c", "for i in 1 2 3; do echo for $i; done; i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo $i; until [ $i -eq 0 ]; do i=$((i - 2)); [ $i -lt 0 ] && break; done; echo $i"]),
        new("sh-functions", ["sh", "-c", "f() { local v=$1; echo \"fn $v $#\"; return 3; }; f a b; echo $?; g() { f \"$@\" | tr a-z A-Z; }; g x y z"]),
        new("sh-expansion", ["sh", "-c", "v=file.tar.gz; echo ${v%.*} ${v%%.*} ${v#*.} ${#v} ${u:-def} ${v/tar/zip}; set -- a b c; echo $# $2; shift; echo $@"]),
        new("sh-cmdsubst", ["sh", "-c", "echo $(echo nested $(echo deep)) `echo back`; n=$(wc -l < lines); echo $((n * 2))"]),
        new("sh-heredoc", ["sh", "-c", "cat <<EOF\nline $((1 + 2))\n  indented\nEOF\ncat <<'E'\n$literal\nE"]),
        new("sh-case", ["sh", "-c", "for w in apple 42 x.c; do case $w in [0-9]*) echo num;; *.c) echo src;; a*) echo a-word;; esac; done"]),
        new("sh-read", ["sh", "-c", "while IFS=, read a b c; do echo \"$c:$a\"; done < table.csv"]),
        new("sh-redirect", ["sh", "-c", "echo out > f1; echo err 1>&2 2>>f1; ls nosuch 2> f2; echo $?; cat f1; wc -l < f2; exec 3> f3; echo three >&3; exec 3>&-; cat f3"], ""),
        new("sh-background", ["sh", "-c", "sleep 0.2 & echo started; wait; echo waited $?; (exit 5) & wait $!; echo $?"]),
        new("sh-exit", ["sh", "-c", "trap 'echo bye' EXIT; echo hi; exit 7"]),
        new("sh-set-e", ["sh", "-c", "set -e; echo a; false; echo not reached"]),
        new("sh-arith", ["sh", "-c", "echo $((7 / 2)) $((7 % 3)) $((1 << 10)) $((0x10 + 010)) $(( (3 > 2) && (1 == 1) ))"]),
        new("sh-stdin-script", ["sh"], "echo from stdin\nfor x in a b; do echo $x; done | sort -r\nexit 3\n"),
        new("sh-xargs-find", ["sh", "-c", "find tree -type f | sort | xargs wc -c"], "",
            "       10 tree/a/b/c.txt\n       13 tree/a/d.txt\n        9 tree/e.log\n       32 total\n"),
        new("sh-find-exec", ["sh", "-c", "find tree -name '*.txt' -exec cat {} \\; | sort"], "", "deep file\nshallow file\n"),
        new("xargs-exec", ["xargs", "-n", "1", "basename"], "/a/b /c/d\n", "b\nd\n"),
    ];

    /// <summary>Fills a work folder with the files the commands read.</summary>
    public static void Populate(string w)
    {
        File.WriteAllText(Path.Combine(w, "lines"), "banana\napple\ncherry\napple\ndate\nbandana\n");
        File.WriteAllText(Path.Combine(w, "nums"), "10\n2\n33\n4\n-1\n");
        File.WriteAllText(Path.Combine(w, "table.csv"), "name,age,city\nann,31,oslo\nbob,25,rome\ncid,40,oslo\n");
        File.WriteAllText(Path.Combine(w, "text"),
            "Spindle is SPIN rebuilt in C#.\nIts kernel owns an emulated RV64GC machine\nthat runs real RISC-V Linux programs.\n");
        Directory.CreateDirectory(Path.Combine(w, "tree", "a", "b"));
        File.WriteAllText(Path.Combine(w, "tree", "a", "b", "c.txt"), "deep file\n");
        File.WriteAllText(Path.Combine(w, "tree", "a", "d.txt"), "shallow file\n");
        File.WriteAllText(Path.Combine(w, "tree", "e.log"), "log line\n");
    }
}
