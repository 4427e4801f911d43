// expect: reject reflection
using System.Linq.Expressions;
public static class Sneaky { public static Expression Call(Expression target) => Expression.Call(target, "GetType", null); }
