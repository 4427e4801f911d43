// expect: reject recursion
using System;
public static class Report { public static string Describe(Exception e) => e.ToString(); }
