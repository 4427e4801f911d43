using System.Globalization;
using System.Text;
using Spindle.Extensions.Http;

namespace Spindle.Kernel.Tests.Http;

/// <summary>The web server's request parser, target decoding and dates, on good input, a hostile corpus and seeded fuzz.</summary>
public sealed class HttpParsingTests
{
    private static ParseOutcome Parse(string s, out HttpRequest r, out int status) => HttpParser.Parse(Encoding.Latin1.GetBytes(s), out r, out status);

    [Fact]
    public void AGetWithHostParsesAndPipelinedHeadsSplitAtTheirEnds()
    {
        string one = "GET /a/b.html?x=1 HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n";
        string two = "HEAD / HTTP/1.0\nConnection: keep-alive\n\n";
        Assert.Equal(ParseOutcome.Request, Parse(one + two, out var r, out _));
        Assert.Equal((RequestMethod.Get, "/a/b.html?x=1", 1, true, 784111777L, one.Length), (r.Method, r.Target, r.Minor, r.KeepAlive, r.IfModifiedSince, r.Length));
        Assert.Equal(ParseOutcome.Request, Parse(two, out r, out _));
        Assert.Equal((RequestMethod.Head, 0, true, two.Length), (r.Method, r.Minor, r.KeepAlive, r.Length));
        Assert.Equal(ParseOutcome.Request, Parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", out r, out _));
        Assert.False(r.KeepAlive);
        Assert.Equal(ParseOutcome.Request, Parse("DELETE /x HTTP/1.1\r\nHost: h\r\n\r\n", out r, out _));
        Assert.Equal(RequestMethod.Other, r.Method);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\n")]
    [InlineData("GET / HTT")]
    [InlineData("")]
    public void AnUnfinishedHeadAsksForMore(string s) => Assert.Equal(ParseOutcome.NeedMore, Parse(s, out _, out _));

    public static TheoryData<string, int> Hostile() => new()
    {
        { "GET /" + new string('a', 9000) + " HTTP/1.1\r\nHost: h\r\n\r\n", 414 },
        { "GET /" + new string('a', 9000), 414 },
        { "GET / HTTP/1.1\r\nHost: h\r\nX: " + new string('b', 17000) + "\r\n\r\n", 431 },
        { "GET / HTTP/1.1\r\nHost: h\r\nX: " + new string('b', 17000), 431 },
        { "GET / HTTP/1.1\r\nHost: h\r\n" + string.Concat(Enumerable.Repeat("X: y\r\n", 101)) + "\r\n", 431 },
        { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", 413 },
        { "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 413 },
        { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nContent-Length: 1\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400 },
        { "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505 },
        { "GET / HTTP/1.1\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", 400 },
        { "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
        { "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400 },
        { "GET\r\n\r\n", 400 },
        { "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n\n", 400 },
        { "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01b\r\n\r\n", 400 },
        { "GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void AHostileHeadIsAnsweredWithItsStatus(string s, int expected)
    {
        Assert.Equal(ParseOutcome.Error, Parse(s, out _, out int status));
        Assert.Equal(expected, status);
    }

    [Fact]
    public void OneHundredThousandMutatedHeadsNeverThrowAndEndInsideTheirInput()
    {
        var random = new Random(1995);
        byte[] seed = Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: spindle\r\nConnection: keep-alive\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
        var statuses = new HashSet<int> { 400, 413, 414, 431, 505 };
        for (int i = 0; i < 100_000; i++)
        {
            var input = seed.ToList();
            for (int m = random.Next(1, 6); m > 0; m--)
            {
                int at = random.Next(input.Count + 1);
                switch (random.Next(4))
                {
                    case 0 when input.Count > 0 && at < input.Count: input[at] = (byte)random.Next(256); break;
                    case 1 when at < input.Count: input.RemoveAt(at); break;
                    case 2: input.InsertRange(at, Encoding.ASCII.GetBytes(random.Next(3) switch { 0 => "\r\n", 1 => ": ", _ => "%2e" })); break;
                    default: if (input.Count > 0) input.RemoveRange(random.Next(input.Count), 1); break;
                }
            }
            var outcome = HttpParser.Parse(input.ToArray(), out var r, out int status);
            if (outcome == ParseOutcome.Request) Assert.InRange(r.Length, 1, input.Count);
            if (outcome == ParseOutcome.Error) Assert.Contains(status, statuses);
        }
    }

    public static TheoryData<string, int> Traversals() => new()
    {
        { "/../etc/passwd", 403 },
        { "/a/../../etc/passwd", 403 },
        { "/%2e%2e/etc/passwd", 403 },
        { "/%2E%2e/etc/passwd", 403 },
        { "/a/..%2fetc", 403 },
        { "/..%2f..%2fetc%2fpasswd", 403 },
        { "http://host/../etc/passwd", 403 },
        { "HTTP://host/%2e%2e/x", 403 },
        { "/a%00.html", 403 },
        { "etc/passwd", 400 },
        { "*", 400 },
        { "/%zz", 400 },
        { "/%2", 400 },
        { "/" + new string('n', 300), 414 },
        { string.Concat(Enumerable.Repeat("/d", 65)), 414 },
    };

    [Theory]
    [MemberData(nameof(Traversals))]
    public void EverySpellingOfAWayOutIsRefused(string target, int status) => Assert.Equal(status, HttpTarget.Decode(target, []));

    [Theory]
    [InlineData("/", "")]
    [InlineData("//etc//passwd", "etc/passwd")]
    [InlineData("/./a/./b/", "a/b")]
    [InlineData("/%252e%252e/x", "%2e%2e/x")]
    [InlineData("/x.html?q=../..#../", "x.html")]
    [InlineData("http://spindle/docs/a%20b.txt", "docs/a b.txt")]
    [InlineData("/...", "...")]
    public void ATargetDecodesToItsComponents(string target, string components)
    {
        var list = new List<string>();
        Assert.Equal(0, HttpTarget.Decode(target, list));
        Assert.Equal(components, string.Join('/', list));
    }

    [Fact]
    public void FiftyThousandRandomTargetsNeverThrowAndNeverYieldAWayOut()
    {
        var random = new Random(7);
        const string alphabet = "/.%2eEfF0a?#\\\0x:";
        var list = new List<string>();
        for (int i = 0; i < 50_000; i++)
        {
            string target = new(Enumerable.Range(0, random.Next(1, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            if (HttpTarget.Decode(target, list) != 0) continue;
            foreach (string c in list)
            {
                Assert.NotEqual("..", c);
                Assert.NotEqual(".", c);
                Assert.NotEqual("", c);
                Assert.DoesNotContain('/', c);
                Assert.DoesNotContain('\0', c);
            }
        }
    }

    [Fact]
    public void DatesAreWhatDotNetWritesForRfc1123AndReadBack()
    {
        var random = new Random(3);
        Span<byte> buffer = stackalloc byte[29];
        foreach (long seconds in Enumerable.Range(0, 2000).Select(_ => random.NextInt64(0, 253402300799)).Append(0).Append(951782400 /* 2000-02-29 */))
        {
            int n = HttpDate.Format(seconds, buffer);
            string text = Encoding.ASCII.GetString(buffer[..n]);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("R", CultureInfo.InvariantCulture), text);
            Assert.Equal(seconds, HttpDate.Parse(buffer[..n]));
        }
        Assert.Equal(-1, HttpDate.Parse("Sunday, 06-Nov-94 08:49:37 GMT"u8));
        Assert.Equal(-1, HttpDate.Parse("Sun, 06 Nov 1994 25:49:37 GMT"u8));
        Assert.Equal(-1, HttpDate.Parse("Sun, 06 Xyz 1994 08:49:37 GMT"u8));
    }
}
