// expect: accept
public ref struct Cursor
{
    private readonly System.ReadOnlySpan<byte> _data;
    private int _pos;
    public Cursor(System.ReadOnlySpan<byte> data) { _data = data; _pos = 0; }
    public bool TryRead(out byte b) { if (_pos < _data.Length) { b = _data[_pos++]; return true; } b = 0; return false; }
}
