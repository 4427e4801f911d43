// expect: reject cost
using System.Collections.Generic;
public static class Views { public static int Between(SortedSet<int> s) => s.GetViewBetween(1, 100).Count; }
