// expect: reject not-allowlisted
using System.Collections;
public static class Legacy { public static int Count(object o) { var list = new ArrayList(); list.Add(o); return list.Count; } }
