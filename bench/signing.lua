-- wrk script for initiative_signing.py: POSTs to one path, each request with the next session
-- of this thread's share of the sessions file (every signer signs once), the CSRF token as
-- cookie and header. Arguments after "--": sessions file, path, expected status.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  sessions_file, path, expected = args[1], args[2], tonumber(args[3])
  nthreads = tonumber(args[4])
  sessions = {}
  local n = 0
  for line in io.lines(sessions_file) do
    if n % nthreads == id then table.insert(sessions, line) end
    n = n + 1
  end
  next_index = 1
  csrf = "b3f1c0d2a4e5968778695a4b3c2d1e0f"
  ok, other, exhausted = 0, 0, 0
end

function request()
  local session = sessions[next_index]
  if session == nil then
    exhausted = exhausted + 1
    return wrk.format("GET", "/healthz")
  end
  next_index = next_index + 1
  return wrk.format("POST", path, {
    ["Cookie"] = "sessionid=" .. session .. "; csrftoken=" .. csrf,
    ["X-CSRFToken"] = csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Referer"] = "http://" .. wrk.host .. ":" .. wrk.port .. "/",
    ["Content-Length"] = "0",
  }, "")
end

function response(status, headers, body)
  if status == expected then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_other, total_exhausted, most = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
    total_exhausted = total_exhausted + thread:get("exhausted")
    most = math.max(most, thread:get("next_index") - 1)
  end
  -- Thread i takes every n-th session from i: all sessions before most * n may have been used.
  io.write(string.format("RESULT ok=%d other=%d exhausted=%d used=%d seconds=%.3f p50_ms=%.1f p99_ms=%.1f\n",
    total_ok, total_other, total_exhausted, most * #threads, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
