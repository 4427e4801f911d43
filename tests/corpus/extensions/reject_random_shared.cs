// expect: reject shared-state
public static class Dice { public static int Roll() => System.Random.Shared.Next(1, 7); }
