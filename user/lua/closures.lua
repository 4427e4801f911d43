-- closures.lua: upvalues shared between closures, counters, loops capturing fresh variables, recursion
-- through upvalues, varargs, multiple returns, tail calls, goto, integer/float for loops.
local function counter() local n = 0 return function() n = n + 1 return n end, function() return n end end
local inc, get = counter() inc() inc() inc() print("counter", get())
local fs = {} for i = 1, 5 do fs[i] = function() return i * 10 end end
print("fresh", fs[1](), fs[3](), fs[5]())
local shared = {} do local x = 0 for i = 1, 3 do shared[i] = function() x = x + i return x end end end
print("shared", shared[1](), shared[2](), shared[3](), shared[1]())
local function memo(f) local cache = {} return function(n) local v = cache[n] if v == nil then v = f(n) cache[n] = v end return v end end
local fib fib = memo(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
print("memo fib", fib(80))
local function compose(...) local fns = table.pack(...) return function(x) for i = fns.n, 1, -1 do x = fns[i](x) end return x end end
print("compose", compose(function(x) return x + 1 end, function(x) return x * 2 end, math.abs)(-5))
local function varargs(...) return select("#", ...), ... end
print("varargs", varargs(1, nil, 3))
local function multi() return 1, 2, 3 end
print("multi", multi(), (multi()), #{multi()}, ({multi()})[3])
local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + n) end
print("tail calls", loop(1000000, 0))
local i = 1 ::top:: if i < 5 then i = i + 1 goto top end print("goto", i)
local s = 0 for x = 1, 2, 0.25 do s = s + x end print("float for", s)
local r = {} for x = 10, 1, -3 do r[#r + 1] = x end print("down", table.concat(r, ","))
local function curry(f, a) return function(...) return f(a, ...) end end
print("curry", curry(string.rep, "ab")(3))
local obj = {n = 0} function obj:add(k) self.n = self.n + k return self end
print("chain", obj:add(1):add(2):add(3).n)
local function ack(m, n) if m == 0 then return n + 1 elseif n == 0 then return ack(m - 1, 1) else return ack(m - 1, ack(m, n - 1)) end end
print("ackermann", ack(2, 3), ack(3, 3))
local adders = {} for k = 1, 100 do adders[k] = function(x) return x + k end end
local t = 0 for k = 1, 100 do t = adders[k](t) end print("adders", t)
