-- tables.lua: the table library and table semantics: insert/remove/move/concat/sort with comparators,
-- unpack, # on sequences, metatables (__index, __newindex, __call, __eq, __lt, __le, __concat, __len), rawget.
local function show(t) local s = {} for i = 1, #t do s[i] = tostring(t[i]) end return "{" .. table.concat(s, ",") .. "}" end
local t = {}
for i = 1, 10 do table.insert(t, i * i) end
table.insert(t, 1, 0)
print("insert", show(t), #t)
print("remove", table.remove(t), table.remove(t, 1), show(t))
print("move", show(table.move({1, 2, 3, 4, 5}, 2, 4, 1)), show(table.move({1, 2, 3}, 1, 3, 3, {9, 9})))
print("concat", table.concat({1, 2, "three", 4.5}, "-"), table.concat({}, "x"), table.concat({"a", "b", "c"}, ", ", 2, 3))
local names = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape"}
table.sort(names) print("sort", show(names))
table.sort(names, function(a, b) return #a < #b or (#a == #b and a > b) end) print("sort by length", show(names))
local nums = {} local x = 12345
for i = 1, 500 do x = (x * 1103515245 + 12345) % 2147483648 nums[i] = x % 1000 end
table.sort(nums) local ok = true for i = 2, #nums do ok = ok and nums[i - 1] <= nums[i] end
print("sorted 500", ok, nums[1], nums[250], nums[500])
print("unpack", table.unpack({1, 2, 3, nil, 5}, 1, 5))
print("pack", table.pack(1, nil, 3).n, select("#", 1, nil, 3, nil))
local Vec = {}
Vec.__index = Vec
Vec.__add = function(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__lt = function(a, b) return a.x * a.x + a.y * a.y < b.x * b.x + b.y * b.y end
Vec.__le = function(a, b) return not (b < a) end
Vec.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end
Vec.__concat = function(a, b) return tostring(a) .. tostring(b) end
Vec.__len = function(v) return 2 end
Vec.__call = function(v, k) return v.x * k end
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
function Vec:dot(o) return self.x * o.x + self.y * o.y end
local a, b = Vec.new(1, 2), Vec.new(3, 4)
print("vec", tostring(a + b), a == Vec.new(1, 2), a < b, b <= a, a .. b, #a, a(10), a:dot(b))
local log = {}
local proxy = setmetatable({}, {__index = function(_, k) return k .. "!" end, __newindex = function(t, k, v) log[#log + 1] = k rawset(t, k, v * 2) end})
proxy.x = 21
print("proxy", proxy.x, proxy.missing, rawget(proxy, "missing"), show(log))
local default = setmetatable({}, {__index = {color = "red", size = 3}})
default.size = 5 print("inherit", default.color, default.size, rawget(default, "color"))
local sparse = {} sparse[1] = "a" sparse[2] = "b" sparse[4] = "d"
print("next", next({}), type(next({x = 1})), #"" )
local counts = {}
for i = 1, 1000 do local k = i % 7 counts[k] = (counts[k] or 0) + 1 end
print("counts", show(counts), counts[0])
local matrix = {}
for i = 1, 30 do matrix[i] = {} for j = 1, 30 do matrix[i][j] = (i * j) % 17 end end
local trace = 0 for i = 1, 30 do trace = trace + matrix[i][i] end
print("matrix", trace, #matrix, #matrix[30])
