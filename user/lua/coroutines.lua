-- coroutines.lua: create/resume/yield with values both ways, wrap, status, isyieldable, running,
-- generators, a producer/consumer pipeline, errors inside coroutines, close.
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "done", a + b + c + d + e
end)
print("resume", coroutine.resume(co, 1, 2))
print("status", coroutine.status(co))
print("resume", coroutine.resume(co, 10))
print("resume", coroutine.resume(co, 100, 1000))
print("status", coroutine.status(co), coroutine.resume(co))
local function range(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local sum = 0 for i in range(100) do sum = sum + i end print("wrap sum", sum)
local function producer() return coroutine.create(function() for _, w in ipairs({"alpha", "beta", "gamma", "delta"}) do coroutine.yield(w) end end) end
local function filter(src) return coroutine.create(function()
  while true do local ok, v = coroutine.resume(src) if not v then return end if #v == 5 then coroutine.yield(v:upper()) end end end) end
local f = filter(producer())
while true do local _, v = coroutine.resume(f) if not v then break end print("pipeline", v) end
local bad = coroutine.create(function() coroutine.yield(1) error("inside") end)
print("error", coroutine.resume(bad)) print("error", coroutine.resume(bad)) print("status", coroutine.status(bad))
print("yieldable", coroutine.isyieldable(), coroutine.wrap(function() return coroutine.isyieldable() end)())
local main, ismain = coroutine.running() print("running main", type(main), ismain)
local permutations = {}
local function permgen(a, n) n = n or #a if n <= 1 then coroutine.yield(a) else
  for i = 1, n do a[n], a[i] = a[i], a[n] permgen(a, n - 1) a[n], a[i] = a[i], a[n] end end end
for p in coroutine.wrap(function() permgen({1, 2, 3, 4}) end) do permutations[#permutations + 1] = table.concat(p) end
print("permutations", #permutations, permutations[1], permutations[24])
local closing = coroutine.create(function() coroutine.yield() end) coroutine.resume(closing)
print("close", coroutine.close(closing), coroutine.status(closing))
local depth = 0
local function nest(n) if n == 0 then return coroutine.yield("bottom") end
  local c = coroutine.wrap(nest) depth = depth + 1 return c(n - 1) end
print("nested", coroutine.wrap(function() return nest(50) end)(), depth)
local fibs = coroutine.wrap(function() local a, b = 0, 1 while true do coroutine.yield(a) a, b = b, a + b end end)
local fs = {} for i = 1, 30 do fs[i] = fibs() end print("fib", fs[10], fs[30])
