// expect: accept
using System.Globalization;
public static class Fmt { public static string Show(double d) => d.ToString("F2", CultureInfo.InvariantCulture) + int.Parse("42", NumberStyles.Integer, CultureInfo.InvariantCulture); }
