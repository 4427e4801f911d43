// expect: accept
using System.Collections.Generic;
using System.Linq;
public static class Ports
{
    public static int[] Busy(IEnumerable<int> ports) =>
        ports.Where(p => p > 1024).OrderBy(p => p).Distinct().ToArray();
    public static Dictionary<string, List<int>> Group(int[] xs) =>
        (from x in xs group x by x % 2 == 0 ? "even" : "odd").ToDictionary(g => g.Key, g => g.ToList());
}
