-- strings.lua: the string library: formatting, patterns, gsub with functions and tables, byte/char, rep,
-- reverse, pack/unpack, utf8. Prints one line per check; ends with a checksum line.
local out = {}
local function say(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end out[#out + 1] = table.concat(t, " ") print(table.unpack(t, 1, t.n)) end

say(string.format("%5d|%-5d|%05.1f|%x|%X|%o|%e|%g|%q", 42, 42, 3.14159, 255, 255, 8, 12345.678, 0.0001, "a\nb\"c"))
say(string.format("%10.3s|%-10s|%c%c%c", "abcdef", "left", 76, 117, 97))
say(("hello world from lua"):upper(), ("MiXeD"):lower(), #"length", ("abc"):rep(3, "-"))
say(("The quick brown fox"):find("quick"), ("The quick brown fox"):find("o", 14, true))
say(("key=value; other=thing"):match("(%w+)=(%w+)"))
for k, v in ("a=1, b=22, c=333"):gmatch("(%a)=(%d+)") do say("gmatch", k, v, #v) end
say(("hello world"):gsub("o", "0"))
say(("hello world"):gsub("(%w+)", "<%1>"))
say(("$name is $age"):gsub("%$(%w+)", { name = "lua", age = "30" }))
say(("1 2 3 4 5"):gsub("%d", function(d) return tostring(d * d) end))
say(("  trim me  "):match("^%s*(.-)%s*$") .. "|")
say(("%bxy"):len(), ("f(a(b)c)d"):match("%b()"), ("THE (quick) fox"):find("%f[%a]%a+"))
say(string.byte("ABCDE", 1, -1))
say(string.char(72, 105, 33), ("stressed"):reverse(), ("abc"):sub(-2), ("abcdef"):sub(2, 4))
local packed = string.pack("<i4 i8 d z s2", -7, 1 << 40, 2.5, "zero", "counted")
say("pack", #packed, string.unpack("<i4 i8 d z s2", packed))
say("utf8", utf8.char(72, 228, 8364, 128512), utf8.len("häll€"), utf8.codepoint("€", 1))
for p, c in utf8.codes("aé€") do say("code", p, c) end
say(tostring(12):rep(2), 10 .. 20, "10" + 5, "3" * "4", math.type("10" // 1))
say(string.format("%.14g", 0.1 + 0.2), string.format("%a", 1.0), tostring(1e300 * 1e10), tostring(-(0/0)) == tostring(0/0) or "nan")
local words = {}
for w in ("the quick brown fox jumps over the lazy dog the end"):gmatch("%a+") do words[w] = (words[w] or 0) + 1 end
local keys = {} for k in pairs(words) do keys[#keys + 1] = k end table.sort(keys)
for _, k in ipairs(keys) do io.write(k, ":", words[k], " ") end io.write("\n")
local big = {} for i = 1, 2000 do big[i] = string.format("%04d", i) end
local s = table.concat(big, ",")
say("big", #s, s:sub(1, 20), select(2, s:gsub(",", ",")))
local sum = 0 for i = 1, #table.concat(out) do sum = (sum * 31 + table.concat(out):byte(i)) % 1000000007 end
say("checksum", sum)
