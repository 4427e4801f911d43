// expect: accept
public interface IShape
{
    double Area();
    string Describe() => $"shape of area {Area():F1}";
}
public sealed class Square(double side) : IShape { public double Area() => side * side; }
