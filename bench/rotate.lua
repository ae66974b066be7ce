-- wrk script: POST pre-signed requests from a file (one per line: "<path?query>\t<body>", see bench/signed.py).
-- Usage: wrk ... -s bench/rotate.lua <url> -- <file> <threads>
-- Each thread takes its own share of the lines (line i goes to thread i % threads), so no request is sent twice
-- unless a thread runs through its share; done() then reports "wrapped" and the run no longer has unique MsgIds.
-- done() prints one line "BENCH_JSON {...}" for bench/web.py: counts, socket and status errors, latency in us.

local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, total = args[1], tonumber(args[2])
  prepared = {}
  local line_number = 0
  for line in io.lines(file) do
    if line_number % total == id then
      local path, body = line:match("^([^\t]*)\t(.*)$")
      prepared[#prepared + 1] = wrk.format("POST", path, {["Content-Type"] = "text/xml"}, body)
    end
    line_number = line_number + 1
  end
  available = #prepared
  sent = 0
end

function request()
  sent = sent + 1
  return prepared[(sent - 1) % available + 1]
end

function done(summary, latency, requests)
  local wrapped = false
  for _, thread in ipairs(threads) do
    if thread:get("sent") > thread:get("available") then
      wrapped = true
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"wrapped": %s}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    tostring(wrapped)))
end
