using System;

namespace Spindle.Extensions.Http;

/// <summary>
/// Writes response heads (RFC 9112): the status line, Server, Date, Content-Type, Content-Length, Last-Modified,
/// Connection; and the short text bodies of error answers. Contract: pure; writes into the caller's buffer.
/// </summary>
public static class HttpAnswer
{
    /// <summary>The largest head written (the buffer a caller must give).</summary>
    public const int MaxHead = 512;

    /// <summary>The reason phrase of a status the server sends.</summary>
    public static string Reason(int status) => status switch
    {
        200 => "OK",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    };

    /// <summary>The Content-Type for a file name, by its extension.</summary>
    public static string ContentType(string name)
    {
        int dot = name.LastIndexOf('.');
        string ext = dot < 0 ? "" : name[(dot + 1)..].ToLowerInvariant();
        return ext switch
        {
            "html" or "htm" => "text/html",
            "txt" => "text/plain",
            "css" => "text/css",
            "js" => "text/javascript",
            "json" => "application/json",
            "png" => "image/png",
            "jpg" or "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "svg" => "image/svg+xml",
            "ico" => "image/x-icon",
            "pdf" => "application/pdf",
            _ => "application/octet-stream",
        };
    }

    /// <summary>
    /// Writes a head into <paramref name="into"/> (at least <see cref="MaxHead"/> bytes) and returns its length.
    /// <paramref name="modified"/> -1 leaves Last-Modified out; <paramref name="now"/> -1 leaves Date out.
    /// </summary>
    public static int Head(Span<byte> into, int status, string contentType, long contentLength, long modified, long now, bool keepAlive)
    {
        int n = 0;
        Put(into, ref n, "HTTP/1.1 ");
        Number(into, ref n, status);
        Put(into, ref n, " ");
        Put(into, ref n, Reason(status));
        Put(into, ref n, "\r\nServer: Spindle\r\n");
        if (now >= 0)
        {
            Put(into, ref n, "Date: ");
            n += HttpDate.Format(now, into[n..]);
            Put(into, ref n, "\r\n");
        }
        if (status == 405) Put(into, ref n, "Allow: GET, HEAD\r\n");
        if (status != 304)
        {
            Put(into, ref n, "Content-Type: ");
            Put(into, ref n, contentType);
            Put(into, ref n, "\r\nContent-Length: ");
            Number(into, ref n, contentLength);
            Put(into, ref n, "\r\n");
        }
        if (modified >= 0)
        {
            Put(into, ref n, "Last-Modified: ");
            n += HttpDate.Format(modified, into[n..]);
            Put(into, ref n, "\r\n");
        }
        Put(into, ref n, keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
        return n;
    }

    /// <summary>The body of an error answer: its status line as text.</summary>
    public static string ErrorBody(int status) => $"{status} {Reason(status)}\n";

    private static void Put(Span<byte> into, ref int n, string s)
    {
        foreach (char c in s) into[n++] = (byte)c;
    }

    private static void Number(Span<byte> into, ref int n, long v)
    {
        Span<byte> digits = stackalloc byte[20];
        int d = 0;
        do
        {
            digits[d++] = (byte)('0' + v % 10);
            v /= 10;
        } while (v > 0);
        while (d > 0) into[n++] = digits[--d];
    }
}
