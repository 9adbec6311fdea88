-- wrk script: every connection PATCHes its own lecture and carries its revision forward.
-- wrk gives each thread its own Lua state and calls request() only after the previous
-- response() on that thread, so the bench runs one connection per thread (-t N -c N).
-- Argument: a file with the bearer token, the two bodies (A on even revisions, B on odd), then
-- "lecture revision" per connection.

local threads = {}
local count = 0

function setup(thread)
  thread:set("index", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  local token = file:read("*l")
  body_a = file:read("*l")
  body_b = file:read("*l")
  local n = 0
  for line in file:lines() do
    if n == index then
      local lecture, base = line:match("^(%d+) (%d+)$")
      path = "/lectures/" .. lecture
      revision = tonumber(base)
    end
    n = n + 1
  end
  file:close()
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  saved, conflicts, failed = 0, 0, 0
end

function request()
  headers["If-Match"] = '"' .. revision .. '"'
  local body = body_b
  if revision % 2 == 0 then
    body = body_a
  end
  return wrk.format("PATCH", path, headers, body)
end

function response(status, response_headers, body)
  if status == 200 then
    for name, value in pairs(response_headers) do
      if string.lower(name) == "etag" then
        revision = tonumber(string.match(value, "%d+"))
      end
    end
    saved = saved + 1
  elseif status == 409 then
    -- Someone else saved: carry on from the latest revision (counted; should never happen).
    conflicts = conflicts + 1
    revision = tonumber(string.match(body, '"revision":(%d+)')) or revision
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local totals = { saved = 0, conflicts = 0, failed = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  io.write(string.format(
    'BENCH-JSON {"done": %d, "conflicts": %d, "failed": %d, "duration_us": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "requests": %d, "bytes": %d, "socket_errors": %d}\n',
    totals.saved, totals.conflicts, totals.failed, summary.duration,
    latency:percentile(50), latency:percentile(99), summary.requests, summary.bytes,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
