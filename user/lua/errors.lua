-- errors.lua: error with strings, tables and levels, pcall/xpcall with tracebacks stripped to their first line,
-- error objects with __tostring, assert, runtime errors (arithmetic on nil, calling nil, indexing), to-be-closed
-- variables, string-to-number failures, the exit status of an uncaught error (via os.exit at the end).
print("pcall ok", pcall(function(a, b) return a + b end, 2, 3))
print("pcall string", pcall(error, "plain message", 0))
print("pcall level", select(2, pcall(function() error("with position") end)))
print("pcall table", select(2, pcall(error, {code = 42})).code)
local E = setmetatable({}, {__tostring = function() return "custom error object" end})
print("tostring", tostring(select(2, pcall(error, E))))
print("xpcall", xpcall(function() error("deep", 0) end, function(m) return "handled: " .. m end))
print("assert", pcall(assert, false, "assertion text"), pcall(assert, 1 == 1, "unused"))
print("arith", select(2, pcall(function() local x return x + 1 end)))
print("call", select(2, pcall(function() local f f() end)))
print("index", select(2, pcall(function() local t return t.x end)))
print("concat", select(2, pcall(function() return {} .. "x" end)))
print("compare", select(2, pcall(function() return {} < {} end)))
print("tonumber", tonumber("0x1F"), tonumber("  12  "), tonumber("12abc"), tonumber("z", 36), tonumber("1e2"))
print("integer", pcall(function() return 1 // 0 end), 1.0 // 0, math.tointeger(3.0), math.tointeger(3.5))
print("overflow", math.maxinteger + 1 == math.mininteger, pcall(string.rep, "x", -1))
do
  local log = {}
  do
    local a <close> = setmetatable({}, {__close = function() log[#log + 1] = "a closed" end})
    local b <close> = setmetatable({}, {__close = function() log[#log + 1] = "b closed" end})
  end
  print("close order", table.concat(log, ", "))
  local ok, err = pcall(function()
    local c <close> = setmetatable({}, {__close = function(_, e) log[#log + 1] = "c saw " .. tostring(e) end})
    error("boom", 0)
  end)
  print("close on error", ok, err, log[#log])
end
local function lvl2() error("at level 2", 2) end
local ok, msg = pcall(function() lvl2() end)
print("level 2", ok, (msg:gsub("^.-:%d+: ", "POS: ")))
local nested = {pcall(pcall, error, "x")}
print("nested", nested[1], nested[2], nested[3])
local trace = select(2, xpcall(function() error("traced") end, debug.traceback))
print("traceback first line", (trace:match("^[^\n]*"):gsub("^.-:%d+: ", "POS: ")))
print("error in error handling", xpcall(function() error("a") end, function() error("b") end))
io.stderr:write("errors.lua: exiting with status 3\n")
os.exit(3)
