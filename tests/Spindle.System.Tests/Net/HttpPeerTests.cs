using System.Security.Cryptography;
using Spindle.System.Tests.Busybox;
using Spindle.System.Tests.Support;

namespace Spindle.System.Tests.Net;

/// <summary>
/// Linux's curl against two web servers on one Spindle system, inside the test's own network namespace: the in-kernel
/// server (<c>--net-ext Apps/Http</c>, port 80, SPIN's httpd) and busybox httpd, a program nobody here wrote, on port
/// 8080 over the personality's TCP sockets. Both serve an ext2 image mke2fs made; every file comes back
/// byte-identical (1 MB included), and the kernel server refuses a way out of its root, answers 404, HEAD and a
/// second request on the same connection. And the other way: busybox wget on Spindle downloads 1 MB from Linux's
/// <c>python3 -m http.server</c>, byte-identical, and Spindle exits with wget's status.
/// </summary>
public sealed class HttpPeerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spindle-http-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void CurlGetsEveryFileByteIdenticalFromTheKernelServerAndFromBusyboxHttpd()
    {
        string tree = Path.Combine(_folder, "www"), output = Path.Combine(_folder, "got"), image = Path.Combine(_folder, "www.img");
        Directory.CreateDirectory(tree);
        Directory.CreateDirectory(output);
        var random = new Random(1995);
        var files = new Dictionary<string, byte[]> { ["index.html"] = "<h1>spindle</h1>\n"u8.ToArray(), ["small.bin"] = new byte[1000], ["big.bin"] = new byte[1 << 20] };
        random.NextBytes(files["small.bin"]);
        random.NextBytes(files["big.bin"]);
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(tree, name), bytes);
        var mke2fs = ProcessRunner.Run(Tools.Require("mke2fs", "e2fsprogs"), ["-q", "-F", "-t", "ext2", "-d", tree, image, "8M"], [], null, TimeSpan.FromMinutes(1));
        Assert.True(mke2fs.ExitCode == 0, mke2fs.Describe("mke2fs"));
        Tools.Require("curl", "curl");

        string script = $$"""
            OUT={{output}}
            for f in index.html small.bin big.bin; do
              curl -sS --max-time 120 -o "$OUT/kernel-$f" "http://10.0.2.15/$f" || echo "kernel $f failed"
              curl -sS --max-time 120 -o "$OUT/busybox-$f" "http://10.0.2.15:8080/$f" || echo "busybox $f failed"
            done
            curl -sS --max-time 30 -o /dev/null -w "traversal %{http_code}\n" --path-as-is "http://10.0.2.15/../../etc/passwd"
            curl -sS --max-time 30 -o /dev/null -w "encoded %{http_code}\n" --path-as-is "http://10.0.2.15/%2e%2e/%2e%2e/etc/passwd"
            curl -sS --max-time 30 -o /dev/null -w "missing %{http_code}\n" "http://10.0.2.15/nothing-here"
            curl -sS --max-time 30 -I "http://10.0.2.15/small.bin" | tr -d '\r' | grep -E "^(HTTP|Content-Length)"
            curl -sS --max-time 30 -o /dev/null -o /dev/null -w "connects %{num_connects}\n" "http://10.0.2.15/small.bin" "http://10.0.2.15/index.html"
            kill $SP
            """;
        var (r, _, why) = TapNamespace.Run(script, TimeSpan.FromMinutes(10),
            ["--disk", image + ",ro", "--mount", "vda:/mnt", "--net-ext", "Apps/Http", BusyboxUserland.Binary, "httpd", "-f", "-p", "8080", "-h", "/mnt"]);
        Assert.False(r.TimedOut, why);
        foreach (var (name, bytes) in files)
        {
            foreach (string server in new[] { "kernel", "busybox" })
            {
                string got = Path.Combine(output, $"{server}-{name}");
                Assert.True(File.Exists(got), $"{server} {name}: nothing came back\n{why}");
                Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes)), Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(got))));
            }
        }
        Assert.Contains("traversal 403", r.StdoutText);
        Assert.Contains("encoded 403", r.StdoutText);
        Assert.Contains("missing 404", r.StdoutText);
        Assert.Contains("HTTP/1.1 200 OK\nContent-Length: 1000", r.StdoutText);
        Assert.Contains("connects 1\nconnects 0", r.StdoutText);       // the second request reused the connection
    }

    // After TapNamespace's link: $1 dotnet, $2 spindle.dll, $3 busybox, $4 the folder python serves and wget writes into.
    private const string WgetScript = """
        cd "$4" && python3 -m http.server 8000 --bind 10.0.2.2 > /dev/null 2>&1 &
        PY=$!
        i=0
        until python3 -c "import socket; socket.create_connection(('10.0.2.2', 8000), 1)" 2> /dev/null; do
          i=$((i + 1)); [ $i -ge 100 ] && break; sleep 0.1
        done
        "$1" "$2" run --net tap:tap0 --ip 10.0.2.15/24 "$3" wget -q -O "$4/got.bin" http://10.0.2.2:8000/file.bin
        echo "spindle exit $?"
        kill $PY
        """;

    [Fact]
    public void BusyboxWgetOnSpindleDownloadsFromPythonsHttpServer()
    {
        var file = new byte[1 << 20];
        new Random(11).NextBytes(file);
        File.WriteAllBytes(Path.Combine(_folder, "file.bin"), file);
        var r = TapNamespace.RunOnLink(WgetScript, TimeSpan.FromMinutes(6), SpindleRunner.DotnetHost(), SpindleRunner.Dll, BusyboxUserland.Binary, _folder);
        Assert.False(r.TimedOut, r.Describe("unshare"));
        Assert.Contains("spindle exit 0", r.StdoutText);
        Assert.Equal(file, File.ReadAllBytes(Path.Combine(_folder, "got.bin")));
    }
}
