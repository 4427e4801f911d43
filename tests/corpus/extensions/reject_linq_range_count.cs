// expect: reject cost
using System.Linq;
public static class Spin { public static int Count(int n) => Enumerable.Range(0, n).Count(i => i % 3 == 0); }
