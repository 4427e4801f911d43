using System;
using System.Collections.Generic;

namespace Spindle.Extensions.Http;

/// <summary>
/// Turns a request target into the path components under the document root, refusing every spelling of a
/// way out of it. Origin form (<c>/a/b?q</c>) and absolute form (<c>http://host/a/b</c>) are read; the query and
/// fragment are dropped; percent-escapes are decoded once (so <c>%252e%252e</c> is the literal name
/// <c>%2e%2e</c>, which simply does not exist). Empty and <c>.</c> components are skipped.
/// <para>Answers 400 for a target that is not a path, a raw control or non-ASCII character, or a malformed escape, 403 for any <c>..</c> component (before
/// or after decoding) and for an encoded NUL or slash, 414 for a path of more than <see cref="MaxComponents"/>
/// components or a component longer than 255 bytes. Symbolic links are the document root's business
/// (<see cref="DocumentRoot"/>).</para>
/// </summary>
public static class HttpTarget
{
    /// <summary>The most components a path may have.</summary>
    public const int MaxComponents = 64;

    /// <summary>Decodes <paramref name="target"/>; 0 and the components, or an HTTP status.</summary>
    public static int Decode(string target, List<string> components)
    {
        components.Clear();
        var t = target.AsSpan();
        if (t.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || t.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            t = t[(t.IndexOf(':') + 3)..];                  // past "scheme://"
            int slash = t.IndexOf('/');
            t = slash < 0 ? "/" : t[slash..];
        }
        if (t.IsEmpty || t[0] != '/') return 400;
        int end = t.IndexOfAny('?', '#');
        if (end >= 0) t = t[..end];
        Span<byte> name = stackalloc byte[256];
        var rest = t[1..];
        while (true)
        {
            int slash = rest.IndexOf('/');
            var raw = slash < 0 ? rest : rest[..slash];
            int length = 0;
            for (int i = 0; i < raw.Length; i++)
            {
                int c = raw[i];
                if (c < 0x20 || c >= 0x7f) return 400;          // the parser lets none through; a caller might
                if (c == '%')
                {
                    if (i + 2 >= raw.Length || !Nibble(raw[i + 1], out int hi) || !Nibble(raw[i + 2], out int lo)) return 400;
                    c = hi << 4 | lo;
                    i += 2;
                    if (c is 0 or '/') return 403;
                }
                if (length == name.Length) return 414;
                name[length++] = (byte)c;
            }
            var component = name[..length];
            if (component.SequenceEqual(".."u8)) return 403;
            if (!component.IsEmpty && !component.SequenceEqual("."u8))
            {
                if (components.Count == MaxComponents) return 414;
                components.Add(System.Text.Encoding.Latin1.GetString(component));
            }
            if (slash < 0) return 0;
            rest = rest[(slash + 1)..];
        }
    }

    private static bool Nibble(char c, out int v)
    {
        v = c switch { >= '0' and <= '9' => c - '0', >= 'a' and <= 'f' => c - 'a' + 10, >= 'A' and <= 'F' => c - 'A' + 10, _ => -1 };
        return v >= 0;
    }
}
