-- gc.lua: the garbage collector: collect and count, weak tables (keys and values), finalizers (__gc) run
-- in the expected order at collection and at close, generational and incremental modes, many short-lived
-- objects and strings. Prints counts and booleans, never addresses or byte totals.
collectgarbage("collect")
local before = collectgarbage("count")
local keep = {} for i = 1, 200 do keep[i] = {i, tostring(i)} end
local junk = 0 for i = 1, 200000 do local t = {i, i * 2, "s" .. (i % 100)} junk = junk + #t end
collectgarbage("collect")
print("allocated and collected", junk, #keep, collectgarbage("count") < before + 1000)
local weakv = setmetatable({}, {__mode = "v"})
local weakk = setmetatable({}, {__mode = "k"})
local strong = {}
for i = 1, 10 do local o = {i} weakv[i] = o weakk[o] = i if i % 2 == 0 then strong[#strong + 1] = o end end
collectgarbage("collect")
local nv, nk = 0, 0 for _ in pairs(weakv) do nv = nv + 1 end for _ in pairs(weakk) do nk = nk + 1 end
print("weak values", nv, "weak keys", nk)
local order = {}
for i = 1, 5 do setmetatable({}, {__gc = function() order[#order + 1] = i end}) end
collectgarbage("collect") collectgarbage("collect")
table.sort(order) print("finalized", #order, table.concat(order, ","))
local resurrected
do setmetatable({name = "phoenix"}, {__gc = function(o) resurrected = o end}) end
collectgarbage("collect") print("resurrected", resurrected and resurrected.name)
print("mode", collectgarbage("generational"), collectgarbage("incremental"), collectgarbage("isrunning"))
collectgarbage("stop") print("stopped", collectgarbage("isrunning")) collectgarbage("restart")
local steps = 0 for i = 1, 1000 do local s = string.rep("x", i % 50) .. i steps = steps + #s end
print("strings", steps, type(collectgarbage("step", 10)))
local chain = nil for i = 1, 100000 do chain = {next = chain, v = i} end
local len, node = 0, chain while node do len = len + 1 node = node.next end
chain = nil collectgarbage("collect") print("chain", len, collectgarbage("count") < before + 1000)
local cache = setmetatable({}, {__mode = "kv"})
for i = 1, 1000 do cache[{}] = {} end collectgarbage("collect")
local left = 0 for _ in pairs(cache) do left = left + 1 end print("ephemeral cache left", left)
setmetatable({}, {__gc = function() print("finalizer at exit ran") end})
