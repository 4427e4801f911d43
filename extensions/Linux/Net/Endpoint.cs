namespace Spindle.Extensions.Linux.Net;

/// <summary>
/// A socket address as the system-call layer parsed it from a struct sockaddr. AF_UNIX: <see cref="UnixKey"/>
/// names the socket in <see cref="UnixDomain.Names"/> ("/abs/path" or "@" and the abstract bytes), <see cref="UnixName"/>
/// is the address getsockname reports after the family (empty: autobind), <see cref="UnixPathExists"/> tells
/// whether the path names something in the file system. AF_INET: <see cref="Address"/> and <see cref="Port"/>
/// in host byte order. AF_UNSPEC: a datagram socket's disconnect.
/// </summary>
internal readonly record struct Endpoint(int Family, string? UnixKey = null, byte[]? UnixName = null, bool UnixPathExists = false,
    uint Address = 0, ushort Port = 0);
