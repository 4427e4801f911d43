using System;

namespace Spindle.Extensions.Http;

/// <summary>The methods the server knows: GET and HEAD are served; any other token is answered 405.</summary>
public enum RequestMethod : byte
{
    /// <summary>GET.</summary>
    Get,
    /// <summary>HEAD: GET's headers, no body.</summary>
    Head,
    /// <summary>A syntactically valid method the server does not serve.</summary>
    Other,
}

/// <summary>
/// One parsed request head: what the server needs of it, and how many bytes of the input it took.
/// </summary>
/// <param name="Method">The method.</param>
/// <param name="Target">The request target as sent (decoded later by <see cref="HttpTarget"/>).</param>
/// <param name="Minor">The HTTP/1.x minor version (0 or 1).</param>
/// <param name="KeepAlive">Whether the connection stays open after the answer.</param>
/// <param name="IfModifiedSince">If-Modified-Since as Unix seconds; -1 if absent or unreadable.</param>
/// <param name="Length">Bytes of input the head took (its end included).</param>
public readonly record struct HttpRequest(RequestMethod Method, string Target, int Minor, bool KeepAlive, long IfModifiedSince, int Length);

/// <summary>What <see cref="HttpParser.Parse"/> found.</summary>
public enum ParseOutcome : byte
{
    /// <summary>The head is not complete yet; read more.</summary>
    NeedMore,
    /// <summary>A whole request head.</summary>
    Request,
    /// <summary>The input is not a request the server will take; answer the status and close.</summary>
    Error,
}

/// <summary>
/// The request-head parser (RFC 9112): request line, header fields, the end of the head, with hard limits so
/// that no input makes the server hold more than <see cref="MaxHead"/> bytes for one request.
/// Contract: pure; allocates only the target string and nothing else per request.
/// <para>Errors: a request line over <see cref="MaxTarget"/> bytes answers 414; a head over <see cref="MaxHead"/>
/// bytes or <see cref="MaxFields"/> fields 431; a body (Content-Length above 0, or Transfer-Encoding) 413; an HTTP
/// major version other than 1 505; anything malformed (bad characters, obsolete line folding, a space before a
/// field's colon, a missing Host in HTTP/1.1, two differing Content-Lengths) 400.</para>
/// </summary>
public static class HttpParser
{
    /// <summary>The longest request line.</summary>
    public const int MaxTarget = 8192;

    /// <summary>The longest request head.</summary>
    public const int MaxHead = 16384;

    /// <summary>The most header fields.</summary>
    public const int MaxFields = 100;

    /// <summary>Parses the request head at the start of <paramref name="input"/>.</summary>
    public static ParseOutcome Parse(ReadOnlySpan<byte> input, out HttpRequest request, out int status)
    {
        request = default;
        status = 0;
        int lineEnd = input.IndexOf((byte)'\n');
        if (lineEnd < 0)
            return input.Length > MaxTarget ? Fail(414, out status) : ParseOutcome.NeedMore;
        if (lineEnd > MaxTarget) return Fail(414, out status);
        int headEnd = EndOfHead(input, lineEnd);
        if (headEnd < 0) return input.Length > MaxHead ? Fail(431, out status) : ParseOutcome.NeedMore;
        if (headEnd > MaxHead) return Fail(431, out status);

        if (!RequestLine(Line(input[..lineEnd]), out RequestMethod method, out string target, out int minor, out status))
            return ParseOutcome.Error;
        bool keepAlive = minor == 1, host = false;
        long ifModifiedSince = -1, contentLength = -1;
        int fields = 0, at = lineEnd + 1;
        while (true)
        {
            int next = input[at..].IndexOf((byte)'\n') + at;
            var line = Line(input[at..next]);
            at = next + 1;
            if (line.IsEmpty) break;
            if (++fields > MaxFields) return Fail(431, out status);
            if (!Field(line, out var name, out var value)) return Fail(400, out status);
            if (Is(name, "host")) host = true;
            else if (Is(name, "connection"))
            {
                if (Contains(value, "close")) keepAlive = false;
                else if (Contains(value, "keep-alive")) keepAlive = true;
            }
            else if (Is(name, "content-length"))
            {
                if (!Number(value, out long n) || (contentLength >= 0 && n != contentLength)) return Fail(400, out status);
                contentLength = n;
            }
            else if (Is(name, "transfer-encoding")) return Fail(413, out status);
            else if (Is(name, "if-modified-since")) ifModifiedSince = HttpDate.Parse(value);
        }
        if (contentLength > 0) return Fail(413, out status);
        if (minor == 1 && !host) return Fail(400, out status);
        request = new HttpRequest(method, target, minor, keepAlive, ifModifiedSince, headEnd);
        return ParseOutcome.Request;
    }

    // The offset just past the empty line that ends the head (CRLF or bare LF lines), or -1.
    private static int EndOfHead(ReadOnlySpan<byte> input, int firstLineEnd)
    {
        int at = firstLineEnd + 1;
        while (at < input.Length)
        {
            int n = input[at..].IndexOf((byte)'\n');
            if (n < 0) return -1;
            if (n == 0 || (n == 1 && input[at] == '\r')) return at + n + 1;
            at += n + 1;
        }
        return -1;
    }

    private static ReadOnlySpan<byte> Line(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;

    // METHOD SP TARGET SP HTTP/1.x
    private static bool RequestLine(ReadOnlySpan<byte> line, out RequestMethod method, out string target, out int minor, out int status)
    {
        method = RequestMethod.Other;
        target = "";
        minor = 0;
        status = 400;
        int sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0) return false;
        var m = line[..sp1];
        foreach (byte b in m) if (!IsToken(b)) return false;
        var rest = line[(sp1 + 1)..];
        int sp2 = rest.IndexOf((byte)' ');
        if (sp2 <= 0) return false;
        var t = rest[..sp2];
        var version = rest[(sp2 + 1)..];
        foreach (byte b in t) if (b <= 0x20 || b >= 0x7f) return false;
        if (version.Length != 8 || !version[..5].SequenceEqual("HTTP/"u8) || version[6] != '.' || !IsDigit(version[5]) || !IsDigit(version[7])) return false;
        if (version[5] != '1')
        {
            status = 505;
            return false;
        }
        minor = version[7] == '0' ? 0 : 1;
        method = m.SequenceEqual("GET"u8) ? RequestMethod.Get : m.SequenceEqual("HEAD"u8) ? RequestMethod.Head : RequestMethod.Other;
        target = System.Text.Encoding.ASCII.GetString(t);
        return true;
    }

    // NAME ":" OWS VALUE OWS; no whitespace before the colon, no obsolete folding.
    private static bool Field(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        int colon = line.IndexOf((byte)':');
        name = colon > 0 ? line[..colon] : default;
        if (colon <= 0) return false;
        foreach (byte b in name) if (!IsToken(b)) return false;
        value = line[(colon + 1)..];
        while (!value.IsEmpty && value[0] is (byte)' ' or (byte)'\t') value = value[1..];
        while (!value.IsEmpty && value[^1] is (byte)' ' or (byte)'\t') value = value[..^1];
        foreach (byte b in value) if ((b < 0x20 && b != '\t') || b == 0x7f) return false;
        return true;
    }

    private static bool Number(ReadOnlySpan<byte> s, out long n)
    {
        n = 0;
        if (s.IsEmpty || s.Length > 18) return false;
        foreach (byte b in s)
        {
            if (!IsDigit(b)) return false;
            n = n * 10 + (b - '0');
        }
        return true;
    }

    private static bool Is(ReadOnlySpan<byte> name, string lower)
    {
        if (name.Length != lower.Length) return false;
        for (int i = 0; i < name.Length; i++)
            if ((name[i] | 0x20) != lower[i]) return false;
        return true;
    }

    private static bool Contains(ReadOnlySpan<byte> value, string lower)
    {
        for (int i = 0; i + lower.Length <= value.Length; i++)
            if (Is(value.Slice(i, lower.Length), lower)) return true;
        return false;
    }

    private static bool IsDigit(byte b) => b >= '0' && b <= '9';

    // RFC 9110 tchar.
    private static bool IsToken(byte b) =>
        (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || IsDigit(b) || "!#$%&'*+-.^_`|~"u8.IndexOf(b) >= 0;

    private static ParseOutcome Fail(int code, out int status)
    {
        status = code;
        return ParseOutcome.Error;
    }
}
