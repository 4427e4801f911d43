// expect: reject typedref
public static class T { public static int Get() { int x = 1; var r = __makeref(x); return __refvalue(r, int); } }
