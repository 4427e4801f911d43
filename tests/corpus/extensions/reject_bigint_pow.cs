// expect: reject cost
using System.Numerics;
public static class Huge { public static int Digits(int n) => BigInteger.Pow(new BigInteger(7), n).ToString().Length; }
