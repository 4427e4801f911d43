// expect: reject io
using System;
using System.Linq.Expressions;
public static class Sneaky { public static Expression<Func<bool>> Guard = () => System.IO.File.Exists("/x"); }
