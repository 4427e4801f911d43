// expect: reject generic-expansion
using System.Collections.Generic;
public static class Poly
{
    // Each level instantiates R at a larger type: the runtime loads and compiles a new method per call.
    public static int R<T>(int n) => n == 0 ? 0 : 1 + R<List<T>>(n - 1);
}
