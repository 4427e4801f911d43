// expect: reject environment
using System;
public static class Sneaky { public static Action Later = () => Environment.FailFast("bye"); }
