-- wrk script for bench/webhook_bench.sh: one signed push payload, a fresh
-- X-GitHub-Delivery GUID per request (thread number + counter + run id), so
-- every request is a new delivery that the server verifies and stores.
-- With WEBHOOK_RATE (deliveries/s over all threads) requests are paced:
-- each thread hands out send slots 1/rate apart and delay() waits for the
-- next one, so the offered load is constant instead of "as fast as answers
-- come back". Slots keep their schedule: a thread that fell behind (wrk's
-- timers have 1 ms resolution, or answers were slow) sends its missed slots
-- at once, up to 1 s of them, so the achieved rate is the offered one as
-- long as the server keeps up. (wrk then times each request from its actual
-- send.)
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } opz_timespec;
  int clock_gettime(int clk_id, opz_timespec *tp);
]]
local ts = ffi.new("opz_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  local f = assert(io.open(os.getenv("WEBHOOK_BODY"), "rb"))
  body = f:read("*a")
  f:close()
  path = os.getenv("WEBHOOK_PATH")
  run = os.getenv("WEBHOOK_RUN")
  headers = {
    ["Content-Type"] = "application/json",
    ["User-Agent"] = "GitHub-Hookshot/bench",
    ["X-GitHub-Event"] = "push",
    ["X-Hub-Signature-256"] = os.getenv("WEBHOOK_SIG"),
  }
  n = 0
  local rate = tonumber(os.getenv("WEBHOOK_RATE") or "")
  local per_thread = tonumber(os.getenv("WEBHOOK_THREADS") or "2")
  if rate and rate > 0 then
    interval = per_thread * 1000.0 / rate  -- ms between this thread's sends
    next_slot = now_ms()
  end
end

if os.getenv("WEBHOOK_RATE") then
  function delay()
    local t = now_ms()
    if next_slot < t - 1000 then next_slot = t - 1000 end
    local wait = next_slot - t
    next_slot = next_slot + interval
    return math.floor(wait)
  end
end

function request()
  n = n + 1
  headers["X-GitHub-Delivery"] = run .. "-" .. tid .. "-" .. n
  return wrk.format("POST", path, headers, body)
end
