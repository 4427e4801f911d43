// expect: reject environment
using System.Globalization;
public static class Fmt { public static string French(double d) => d.ToString("F2", CultureInfo.GetCultureInfo("fr-FR")); }
