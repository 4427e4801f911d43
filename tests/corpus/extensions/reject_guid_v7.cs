// expect: reject environment
public static class Ids { public static System.Guid Next() => System.Guid.CreateVersion7(); }
