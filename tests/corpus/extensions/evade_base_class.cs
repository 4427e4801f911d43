// expect: reject io
public sealed class MyStream : System.IO.MemoryStream { }
