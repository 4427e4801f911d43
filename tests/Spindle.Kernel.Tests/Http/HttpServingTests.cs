using System.Text;
using Spindle.Extensions.Fs.Ext2;
using Spindle.Extensions.Http;
using Spindle.Kernel.Tests.Block;

namespace Spindle.Kernel.Tests.Http;

/// <summary>
/// The web server's connections over a document root that mke2fs made (<c>mke2fs -d</c>) and Spindle's ext2
/// mounted, through a scripted TCP: answers byte-identical to the files, HEAD, 304, pipelining, slow readers, the
/// cache, and the hostile corpus (every spelling of a way out, symlinks out of the root, unreadable files).
/// </summary>
[Collection("ext2 images")]
public sealed class HttpServingTests : ScratchFolder
{
    private readonly string _tree;
    private readonly byte[] _small, _big;

    public HttpServingTests()
    {
        _tree = Path.Combine(Folder, "www");
        Directory.CreateDirectory(Path.Combine(_tree, "docs"));
        Directory.CreateDirectory(Path.Combine(_tree, "empty-dir"));
        var random = new Random(80);
        _small = new byte[1000];
        random.NextBytes(_small);
        _big = new byte[1 << 20];
        random.NextBytes(_big);
        File.WriteAllText(Path.Combine(_tree, "index.html"), "<h1>spindle</h1>\n");
        File.WriteAllBytes(Path.Combine(_tree, "small.bin"), _small);
        File.WriteAllBytes(Path.Combine(_tree, "big.bin"), _big);
        File.WriteAllText(Path.Combine(_tree, "docs", "index.html"), "docs\n");
        File.WriteAllText(Path.Combine(_tree, "docs", "a b.txt"), "spaced\n");
        File.WriteAllText(Path.Combine(_tree, "secret"), "not for you\n");
        File.SetUnixFileMode(Path.Combine(_tree, "secret"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(Path.Combine(_tree, "etc"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_tree, "up"), "..");
        File.CreateSymbolicLink(Path.Combine(_tree, "inside"), "small.bin");
        foreach (var f in Directory.EnumerateFiles(_tree, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(f, new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        Ext2Images.Make(Path.Combine(Folder, "www.img"), _tree, 1024, 8);
    }

    private (TestDisk Disk, HttpSite Site) Serve()
    {
        var disk = new TestDisk(Path.Combine(Folder, "www.img"), readOnly: true);
        var fs = Ext2FileSystem.Mount(disk.Cache, 0).FileSystem!;
        return (disk, new HttpSite(new DocumentRoot(fs), new FileCache(), clock: null));
    }

    private static List<(int Status, string Head, byte[] Body)> Exchange(HttpSite site, string requests, bool choppy = false, int window = int.MaxValue,
        bool[]? bodiless = null)
    {
        var tcp = new ScriptedConnection(1) { Choppy = choppy, SendWindow = window, ClientClosed = true };
        tcp.Write(requests);
        var connection = new HttpConnection(tcp, site);
        for (int i = 0; i < 100_000 && !connection.Closed; i++) connection.Pump();
        Assert.True(connection.Closed, "the connection ends when the client has closed");
        return Answers(tcp.Sent.ToArray(), bodiless);
    }

    // Splits the server's bytes into answers; bodiless[i] marks an answer to HEAD (its Content-Length has no body).
    private static List<(int, string, byte[])> Answers(byte[] bytes, bool[]? bodiless)
    {
        var answers = new List<(int, string, byte[])>();
        int at = 0;
        while (at < bytes.Length)
        {
            int end = bytes.AsSpan(at).IndexOf("\r\n\r\n"u8);
            Assert.True(end > 0, "a whole head");
            string head = Encoding.ASCII.GetString(bytes, at, end);
            at += end + 4;
            int status = int.Parse(head.AsSpan(9, 3));
            int length = 0;
            foreach (string line in head.Split("\r\n"))
                if (line.StartsWith("Content-Length: ", StringComparison.Ordinal)) length = int.Parse(line.AsSpan(16));
            if (status == 304 || (bodiless != null && answers.Count < bodiless.Length && bodiless[answers.Count])) length = 0;
            answers.Add((status, head, bytes[at..(at + length)]));
            at += length;
        }
        return answers;
    }

    [Fact]
    public void FilesComeBackByteIdenticalWithTheirHeadsAndDirectoriesGiveTheirIndex()
    {
        var (disk, site) = Serve();
        using var _ = disk;
        var answers = Exchange(site, "GET /small.bin HTTP/1.1\r\nHost: s\r\n\r\nGET /big.bin HTTP/1.1\r\nHost: s\r\n\r\nGET / HTTP/1.0\r\n\r\n");
        Assert.Equal(3, answers.Count);
        Assert.Equal(200, answers[0].Status);
        Assert.Equal(_small, answers[0].Body);
        Assert.Contains("Content-Type: application/octet-stream", answers[0].Head);
        Assert.Contains("Last-Modified: Thu, 02 Jan 2020 03:04:05 GMT", answers[0].Head);
        Assert.Contains("Connection: keep-alive", answers[0].Head);
        Assert.Equal(_big, answers[1].Body);
        Assert.Equal("<h1>spindle</h1>\n", Encoding.ASCII.GetString(answers[2].Body));
        Assert.Contains("Content-Type: text/html", answers[2].Head);
        Assert.Contains("Connection: close", answers[2].Head);
    }

    [Fact]
    public void ASlowReaderGetsTheBigFileWhole()
    {
        var (disk, site) = Serve();
        using var _ = disk;
        var answers = Exchange(site, "GET /big.bin HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n", choppy: true, window: 1000);
        Assert.Equal(_big, Assert.Single(answers).Body);
    }

    [Fact]
    public void HeadNotModifiedAndTheCacheAnswerWithoutTheFileSystem()
    {
        var (disk, site) = Serve();
        using var _ = disk;
        var answers = Exchange(site,
            "HEAD /small.bin HTTP/1.1\r\nHost: s\r\n\r\n" +
            "GET /small.bin HTTP/1.1\r\nHost: s\r\nIf-Modified-Since: Thu, 02 Jan 2020 03:04:05 GMT\r\n\r\n" +
            "GET /small.bin HTTP/1.1\r\nHost: s\r\nIf-Modified-Since: Wed, 01 Jan 2020 00:00:00 GMT\r\n\r\n" +
            "GET /small.bin HTTP/1.1\r\nHost: s\r\n\r\n", bodiless: [true]);
        Assert.Equal([200, 304, 200, 200], answers.Select(a => a.Status));
        Assert.Contains("Content-Length: 1000", answers[0].Head);
        Assert.Empty(answers[0].Body);
        Assert.Equal(_small, answers[2].Body);
        Assert.Equal(_small, answers[3].Body);
        Assert.Equal(1, site.Cache.Count);
        Assert.Equal(1, site.Cache.Hits);              // HEAD and 304 read no file; the first GET caches it, the second hits
        var big = Exchange(site, "GET /big.bin HTTP/1.1\r\nHost: s\r\n\r\n");
        Assert.Equal(_big, big[0].Body);
        Assert.Equal(1, site.Cache.Count);             // a large file is streamed, never cached
    }

    public static TheoryData<string, int> Refused() => new()
    {
        { "/../../etc/passwd", 403 },
        { "/%2e%2e/%2e%2e/etc/passwd", 403 },
        { "/%252e%252e/etc/passwd", 404 },
        { "http://s/../etc/passwd", 403 },
        { "/etc/passwd", 403 },                        // through a symlink that leaves the root
        { "/up/small.bin", 403 },
        { "/inside", 403 },                            // symlinks are not followed at all
        { "/secret", 403 },                            // not readable by others
        { "/empty-dir", 403 },                         // no index, no listing
        { "/nothing-here", 404 },
        { "/small.bin/x", 404 },
        { "/docs/a%20b.txt", 200 },
        { "/docs/", 200 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void EveryWayOutOfTheRootIsRefusedAndNothingOutsideIsRead(string target, int status)
    {
        var (disk, site) = Serve();
        using var _ = disk;
        var answers = Exchange(site, $"GET {target} HTTP/1.1\r\nHost: s\r\n\r\n");
        Assert.Equal(status, Assert.Single(answers).Status);
        if (status != 200) Assert.DoesNotContain("root:", Encoding.ASCII.GetString(answers[0].Body));
    }

    [Fact]
    public void BadHeadsGetTheirStatusAndTheConnectionCloses()
    {
        var (disk, site) = Serve();
        using var _ = disk;
        foreach (var (request, status) in new[]
        {
            ("POST /small.bin HTTP/1.1\r\nHost: s\r\n\r\n", 405),
            ("GET / HTTP/1.1\r\nHost: s\r\nContent-Length: 4\r\n\r\nbody", 413),
            ("GET /" + new string('x', 9000) + " HTTP/1.1\r\n\r\n", 414),
            ("GET / HTTP/1.1\r\n" + new string('h', 20000), 431),
            ("\x16\x03\x01 garbage\r\n\r\n", 400),
            ("GET / HTTP/3.0\r\n\r\n", 505),
        })
        {
            var answers = Exchange(site, request + "GET /small.bin HTTP/1.1\r\nHost: s\r\n\r\n");
            Assert.Equal(status, answers[0].Status);
            if (status != 405) Assert.Single(answers);      // nothing after a head whose framing is unknown
            else Assert.Equal(_small, answers[1].Body);     // a known method the server refuses keeps the connection
        }
    }

    [Fact]
    public void ARequestCutMidwayGetsNoAnswerAndTheConnectionEnds()
    {
        var (disk, site) = Serve();
        using var _ = disk;
        Assert.Empty(Exchange(site, "GET /small.bin HTTP/1.1\r\nHo"));
    }
}
