// expect: accept
using System.Collections.Generic;
public static class Lists
{
    public static List<int> Make(int x) => [1, 2, x, .. new[] { 4, 5 }];
    public static int[] Arr() => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    public static IEnumerable<string> Names() => ["a", "b"];
}
