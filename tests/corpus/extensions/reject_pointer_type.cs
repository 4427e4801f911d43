// expect: reject pointer
public static class P { public static unsafe int Read(int* p) => *p; }
