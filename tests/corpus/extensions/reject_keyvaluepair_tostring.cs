// expect: reject recursion
using System.Collections.Generic;
public static class Show { public static string Entry(KeyValuePair<object, object> kv) => kv.ToString(); }
