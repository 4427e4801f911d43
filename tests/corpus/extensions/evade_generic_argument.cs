// expect: reject threading
using System.Collections.Generic;
public static class Sneaky { public static object Box() => new List<System.Threading.Thread>(); }
