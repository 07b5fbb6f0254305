-- POST the body file given after "--" with the content type given second; with a third
-- argument "ids", the file holds one path a line and each is posted once, in turn
-- (threads take interleaved shares), with the body file named fourth.
local body, headers, paths, n, step = nil, nil, nil, 0, 1

function setup(thread)
  threads = (threads or 0) + 1
  thread:set("offset", threads)
end

function init(args)
  -- wrk.format replaces wrk.headers with the table it is given: keep Host and -H ones.
  headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = args[2]
  if args[3] == "ids" then
    paths = {}
    for line in io.lines(args[1]) do paths[#paths + 1] = line end
    local f = io.open(args[4], "rb"); body = f:read("*a"); f:close()
    n = offset or 1
    step = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")
  else
    local f = io.open(args[1], "rb"); body = f:read("*a"); f:close()
  end
end

function request()
  local path = wrk.path
  if paths then
    path = paths[n]
    if path == nil then path = paths[#paths] end
    n = n + step
  end
  return wrk.format("POST", path, headers, body)
end

dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
