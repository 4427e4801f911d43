using System;

namespace Spindle.Extensions.Http;

/// <summary>
/// HTTP dates in the IMF-fixdate form (RFC 9110 5.6.7: <c>Sun, 06 Nov 1994 08:49:37 GMT</c>), to and from Unix
/// seconds, with the civil-calendar arithmetic done here (no host clock or culture is involved).
/// </summary>
public static class HttpDate
{
    private static readonly string[] Days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];   // 1970-01-01 was a Thursday
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Writes <paramref name="seconds"/> (Unix time, 0..253402300799) as an IMF-fixdate: 29 bytes.</summary>
    public static int Format(long seconds, Span<byte> into)
    {
        long days = Math.DivRem(Math.Clamp(seconds, 0, 253402300799), 86400, out long second);
        var (year, month, day) = Civil(days);
        int n = 0;
        Put(Days[(int)(days % 7)], into, ref n);
        Put(", ", into, ref n);
        Two(day, into, ref n);
        into[n++] = (byte)' ';
        Put(Months[month - 1], into, ref n);
        into[n++] = (byte)' ';
        Two(year / 100, into, ref n);
        Two(year % 100, into, ref n);
        into[n++] = (byte)' ';
        Two((int)(second / 3600), into, ref n);
        into[n++] = (byte)':';
        Two((int)(second / 60 % 60), into, ref n);
        into[n++] = (byte)':';
        Two((int)(second % 60), into, ref n);
        Put(" GMT", into, ref n);
        return n;
    }

    /// <summary>Reads an IMF-fixdate; -1 if <paramref name="s"/> is not one (the obsolete forms are not read).</summary>
    public static long Parse(ReadOnlySpan<byte> s)
    {
        if (s.Length != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':'
            || !s[25..].SequenceEqual(" GMT"u8)) return -1;
        int month = -1;
        for (int i = 0; i < 12; i++)
            if (s[8] == Months[i][0] && s[9] == Months[i][1] && s[10] == Months[i][2]) month = i + 1;
        if (month < 0 || !Digits(s.Slice(5, 2), out int day) || !Digits(s.Slice(12, 4), out int year) || !Digits(s.Slice(17, 2), out int hour)
            || !Digits(s.Slice(20, 2), out int minute) || !Digits(s.Slice(23, 2), out int second)) return -1;
        if (day < 1 || day > 31 || year < 1970 || hour > 23 || minute > 59 || second > 60) return -1;
        return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    }

    // Howard Hinnant's civil_from_days and days_from_civil (proleptic Gregorian, days since 1970-01-01).
    private static (int Year, int Month, int Day) Civil(long z)
    {
        z += 719468;
        long era = z / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int)(doy - (153 * mp + 2) / 5 + 1);
        int m = (int)(mp < 10 ? mp + 3 : mp - 9);
        return ((int)(yoe + era * 400 + (m <= 2 ? 1 : 0)), m, d);
    }

    private static long DaysFromCivil(int y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        long era = y / 400;
        long yoe = y - era * 400;
        long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    private static bool Digits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (byte b in s)
        {
            if (b < '0' || b > '9') return false;
            value = value * 10 + (b - '0');
        }
        return true;
    }

    private static void Put(string s, Span<byte> into, ref int n)
    {
        foreach (char c in s) into[n++] = (byte)c;
    }

    private static void Two(int v, Span<byte> into, ref int n)
    {
        into[n++] = (byte)('0' + v / 10);
        into[n++] = (byte)('0' + v % 10);
    }
}
