// expect: reject cost
using System.Linq;
public static class Squares { public static int[] Of(int[] xs) => xs.Select(x => x * x).ToArray(); }
