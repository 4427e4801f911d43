// expect: accept
using System.Collections.Generic;
public static class Ports
{
    public static int[] Busy(IEnumerable<int> ports)
    {
        var busy = new SortedSet<int>();
        foreach (int p in ports) if (p > 1024) busy.Add(p);
        var result = new int[busy.Count];
        busy.CopyTo(result);
        return result;
    }
    public static Dictionary<string, List<int>> Group(int[] xs)
    {
        var groups = new Dictionary<string, List<int>>();
        foreach (int x in xs)
        {
            string key = x % 2 == 0 ? "even" : "odd";
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add(x);
        }
        return groups;
    }
}
