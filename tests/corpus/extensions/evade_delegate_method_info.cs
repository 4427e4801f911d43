// expect: reject reflection
using System;
public static class Sneaky { public static object Target(Action a) => a.Method; }
