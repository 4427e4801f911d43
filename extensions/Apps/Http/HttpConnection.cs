using System;
using System.Collections.Generic;
using Spindle.Sdk.Io;
using Spindle.Sdk.Net;
using Spindle.Sdk.Vfs;

namespace Spindle.Extensions.Http;

/// <summary>
/// One client connection: reads request heads, answers them in order (persistent connections and pipelining),
/// and sends each answer as TCP takes it: the head, then the body from the cache's array or streamed from the file.
/// At most one answer is pending at a time; the next request is parsed only when it has gone, so a pipelining
/// client cannot make the server hold more than one answer and <see cref="HttpParser.MaxHead"/> bytes of input.
/// <para>Contract: the CPU's thread. <see cref="Pump"/> runs until TCP would block (it is called again on the
/// socket's next readiness change) or the connection ends (<see cref="Closed"/>).</para>
/// </summary>
public sealed class HttpConnection(ITcpConnection socket, HttpSite site)
{
    private readonly byte[] _input = new byte[HttpParser.MaxHead + 1];
    private readonly byte[] _head = new byte[HttpAnswer.MaxHead];
    private readonly List<string> _components = new();
    private int _inputLength, _headLength, _headSent;
    private byte[]? _body;                 // a cached file's or an error's bytes
    private int _bodySent;
    private Vnode? _file;                  // a streamed file
    private long _fileOffset, _fileEnd;
    private bool _closeAfter;

    /// <summary>The TCP connection.</summary>
    public ITcpConnection Socket { get; } = socket;

    /// <summary>When it last made progress (monotonic ns): the server closes the least recently active first.</summary>
    public long LastActive { get; private set; }

    /// <summary>True once the connection is closed (by the client, an error, or <c>Connection: close</c>).</summary>
    public bool Closed { get; private set; }

    /// <summary>Moves the connection on as far as it can without blocking.</summary>
    public void Pump()
    {
        LastActive = site.Now();
        while (!Closed)
        {
            if (!Flush()) return;                               // TCP is full: wait for Writable
            if (_closeAfter)
            {
                Close();
                return;
            }
            var outcome = HttpParser.Parse(_input.AsSpan(0, _inputLength), out HttpRequest request, out int status);
            if (outcome == ParseOutcome.Request)
            {
                Consume(request.Length);
                Answer(request);
                continue;
            }
            if (outcome == ParseOutcome.Error)
            {
                _inputLength = 0;
                Error(status, keepAlive: false);
                continue;
            }
            int n = Socket.Receive(_input.AsSpan(_inputLength));
            if (n > 0) _inputLength += n;
            else if (n == 0 || n != -Errno.EAGAIN) Close();     // the client closed, or the connection failed
            else return;                                        // nothing more yet: wait for Readable
        }
    }

    /// <summary>Closes the connection (the server's choice: too many connections, or shutting down).</summary>
    public void Close()
    {
        if (Closed) return;
        Closed = true;
        _body = null;
        _file = null;
        Socket.Close();
    }

    private void Answer(HttpRequest request)
    {
        site.Requests++;
        if (request.Method == RequestMethod.Other)
        {
            Error(405, request.KeepAlive);
            return;
        }
        int status = HttpTarget.Decode(request.Target, _components);
        if (status != 0)
        {
            Error(status, request.KeepAlive);
            return;
        }
        string path = string.Join('/', _components);
        bool head = request.Method == RequestMethod.Head;
        if (site.Cache.Find(path) is { } cached)
        {
            Respond(request, cached.ContentType, cached.Body.Length, cached.Modified);
            if (!head && !NotModified(request, cached.Modified)) _body = cached.Body;
            return;
        }
        status = site.Root.Resolve(_components, out Vnode? file, out FileStatus attributes);
        if (status != 0)
        {
            Error(status, request.KeepAlive);
            return;
        }
        string type = HttpAnswer.ContentType(_components.Count > 0 ? _components[^1] : "index.html");
        Respond(request, type, attributes.Size, attributes.ModifySeconds);
        if (head || NotModified(request, attributes.ModifySeconds)) return;
        if (attributes.Size <= site.Cache.SmallFile && ReadWhole(file!, attributes.Size) is { } bytes)
        {
            site.Cache.Add(new CachedFile(path, bytes, attributes.ModifySeconds, type));
            _body = bytes;
            return;
        }
        _file = file;
        _fileOffset = 0;
        _fileEnd = attributes.Size;
    }

    private static bool NotModified(HttpRequest request, long modified) => request.IfModifiedSince >= 0 && modified <= request.IfModifiedSince;

    // The head of a 200 or 304 answer.
    private void Respond(HttpRequest request, string type, long length, long modified)
    {
        int status = NotModified(request, modified) ? 304 : 200;
        _closeAfter = !request.KeepAlive;
        _headLength = HttpAnswer.Head(_head, status, type, length, modified, site.Seconds(), request.KeepAlive);
        _headSent = 0;
    }

    private void Error(int status, bool keepAlive)
    {
        // A head the parser refused leaves the input's framing unknown: the connection closes after the answer.
        _closeAfter = !keepAlive || status is 400 or 413 or 414 or 431 or 505;
        _body = System.Text.Encoding.ASCII.GetBytes(HttpAnswer.ErrorBody(status));
        _bodySent = 0;
        _headLength = HttpAnswer.Head(_head, status, "text/plain", _body.Length, -1, site.Seconds(), !_closeAfter);
        _headSent = 0;
    }

    private static byte[]? ReadWhole(Vnode file, long size)
    {
        var bytes = new byte[size];
        long got = 0;
        while (got < size)
        {
            long n = file.Read(bytes.AsSpan((int)got), got);
            if (n <= 0) return null;
            got += n;
        }
        return bytes;
    }

    // Sends what is pending; true when nothing is left, false when TCP took less (or the connection failed).
    private bool Flush()
    {
        while (_headSent < _headLength)
            if (!Sent(Socket.Send(_head.AsSpan(_headSent, _headLength - _headSent)), ref _headSent)) return false;
        _headLength = _headSent = 0;
        while (_body != null && _bodySent < _body.Length)
            if (!Sent(Socket.Send(_body.AsSpan(_bodySent)), ref _bodySent)) return false;
        _body = null;
        _bodySent = 0;
        while (_file != null && _fileOffset < _fileEnd)
        {
            var scratch = site.Scratch;
            long n = _file.Read(scratch.AsSpan(0, (int)Math.Min(scratch.Length, _fileEnd - _fileOffset)), _fileOffset);
            if (n <= 0)
            {
                Close();                    // the file shrank or failed under us: the length promised cannot be kept
                return false;
            }
            int sent = Socket.Send(scratch.AsSpan(0, (int)n));
            if (sent <= 0)
            {
                if (sent != -Errno.EAGAIN) Close();
                return false;
            }
            _fileOffset += sent;
        }
        _file = null;
        return true;
    }

    private bool Sent(int result, ref int done)
    {
        if (result > 0)
        {
            done += result;
            return true;
        }
        if (result != -Errno.EAGAIN) Close();
        return false;
    }

    private void Consume(int length)
    {
        _input.AsSpan(length, _inputLength - length).CopyTo(_input);
        _inputLength -= length;
    }
}
