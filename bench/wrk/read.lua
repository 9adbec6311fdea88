-- wrk script: every connection GETs its own lecture, which nothing changes meanwhile, and checks
-- that the answer is 200 with the lecture's revision as ETag (the product and the floor alike).
-- One connection per thread (-t N -c N), as save.lua. Argument: a file with the bearer token,
-- then "lecture revision" per connection.

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
  local n = 0
  for line in file:lines() do
    if n == index then
      local lecture, revision = line:match("^(%d+) (%d+)$")
      path = "/lectures/" .. lecture
      etag = '"' .. revision .. '"'
    end
    n = n + 1
  end
  file:close()
  request_text = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
  read, failed = 0, 0
end

function request()
  return request_text
end

function response(status, response_headers, body)
  local tag = nil
  for name, value in pairs(response_headers) do
    if string.lower(name) == "etag" then
      tag = value
    end
  end
  if status == 200 and tag == etag then
    read = read + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local totals = { read = 0, failed = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  io.write(string.format(
    'BENCH-JSON {"done": %d, "conflicts": 0, "failed": %d, "duration_us": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "requests": %d, "bytes": %d, "socket_errors": %d}\n',
    totals.read, totals.failed, summary.duration,
    latency:percentile(50), latency:percentile(99), summary.requests, summary.bytes,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
