// expect: reject recursion
public static class Show { public static string Pair(object a, object b) => (a, b).ToString(); }
