-- wrk script for bench/webhook_bench.sh: one signed push payload, a fresh
-- X-GitHub-Delivery GUID per request (thread number + counter + run id), so
-- every request is a new delivery that the server verifies and stores.
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
end

function request()
  n = n + 1
  headers["X-GitHub-Delivery"] = run .. "-" .. tid .. "-" .. n
  return wrk.format("POST", path, headers, body)
end
