-- math.lua: integer and float arithmetic, division and modulo signs, bitwise operators, floor/ceil/fmod/modf,
-- sqrt/exp/log/trig printed to 12 digits, ult, integer overflow wraparound, conversions, a seeded math.random.
local function g(x) return string.format("%.12g", x) end
print("int", 7 // 2, -7 // 2, 7 % -3, -7 % 3, 7 / 2, 2^10, 10 // 3.0, -0.0 == 0.0)
print("bits", 0xF0 | 0x0F, 0xFF & 0x3C, 0xFF ~ 0x0F, ~0, 1 << 62, 1 << 64, -1 >> 1, 5 >> -1)
print("floor/ceil", math.floor(-3.5), math.ceil(-3.5), math.floor(3.7), math.ceil(3.2), math.type(math.floor(2.5)))
print("fmod/modf", math.fmod(7, 3), math.fmod(-7, 3), math.modf(3.75), math.modf(-3.75))
print("abs/max/min", math.abs(math.mininteger), math.max(3, 7.5, -1), math.min(3, 7.5, -1), math.huge, -math.huge)
print("sqrt", g(math.sqrt(2)), g(math.sqrt(1e10)), g(2^0.5))
print("exp/log", g(math.exp(1)), g(math.log(10)), g(math.log(8, 2)), g(math.log(1000, 10)), g(math.log(0.5)))
print("trig", g(math.sin(1)), g(math.cos(1)), g(math.tan(0.5)), g(math.asin(0.5)), g(math.acos(0.5)), g(math.atan(1, 2)))
print("pi", g(math.pi), g(math.rad(180)), g(math.deg(math.pi / 3)))
print("ult", math.ult(1, -1), math.ult(-1, 1), math.maxinteger + 1 == math.mininteger, math.mininteger // -1)
print("convert", 3 | 0, math.tointeger("8"), 2^53 + 1 == 2^53, string.format("%d", 3.0), 1e15, 1e16, 123456789012345678)
print("compare", 1 == 1.0, math.type(1), math.type(1.0), math.type("1"), 1 < 1.5, -0.0, 0/0 ~= 0/0)
math.randomseed(42)
local r = {} for i = 1, 8 do r[i] = math.random(1, 1000) end print("random", table.concat(r, " "))
local f = {} for i = 1, 4 do f[i] = g(math.random()) end print("random floats", table.concat(f, " "))
local s, n = 0.0, 100000 for i = 1, n do s = s + 1 / (i * i) end print("basel", g(s), g(math.sqrt(s * 6)))
local primes, sieve = {}, {} for i = 2, 10000 do if not sieve[i] then primes[#primes + 1] = i for j = i * i, 10000, i do sieve[j] = true end end end
print("primes", #primes, primes[#primes])
local h = 0 for i = 1, 100000 do h = (h * 31 + i) & 0xFFFFFFFF end print("hash", h)
local x = 1.0 for i = 1, 1000 do x = x * 1.0001 + math.sin(i) * 1e-6 end print("float loop", g(x))
print("format", string.format("%.3f %.0f %5.1e %g %g", 2/3, 2.5, 123456, 1e20, 1e-5))
