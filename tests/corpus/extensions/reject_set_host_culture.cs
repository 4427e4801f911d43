// expect: reject environment
using System.Globalization;
public static class Locale { public static void Break() => CultureInfo.CurrentCulture = new CultureInfo("tr-TR"); }
