// expect: reject compile
public static class Broken { public static int F() => undefinedThing + ; }
