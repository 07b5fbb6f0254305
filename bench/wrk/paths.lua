-- GET a random path of the file given after "--" (one path a line).
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
