-- wrk script for bench/run.py: counts every response that is not 2xx (wrk itself only counts
-- statuses above 399) and prints one machine-readable line when the run is done:
--   BENCH_RESULT {"requests": ..., "latency_us": {"p50": ..., "p99": ...}, ...}
-- Latencies are in microseconds, as wrk measures them.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("number", #threads)
end

function init(args)
  non_2xx = 0
  statuses = ","
  -- "paths": each request asks for the next address of a file, one per line (another record each
  -- request, so that nothing about it is warm); the requests of all threads interleaved, from a
  -- random first line. args[2]: the file; args[3]: the first line - 1; args[4]: the thread count.
  rotate = args[1] == "paths"
  if rotate then
    paths = {}
    for line in io.lines(args[2]) do
      table.insert(paths, line)
    end
    first, thread_count = tonumber(args[3]), tonumber(args[4])
  end
  sent = 0
  -- As every browser does: pages travel compressed.
  wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
end

function request()
  if not rotate then
    return wrk.format()
  end
  local index = 1 + (first + sent * thread_count + number - 1) % #paths
  sent = sent + 1
  return wrk.format(nil, paths[index])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    if #statuses < 200 and not string.find(statuses, "," .. status .. ",", 1, true) then
      statuses = statuses .. status .. ","
    end
  end
end

function done(summary, latency, requests)
  local non_2xx_total, seen = 0, {}
  for _, thread in ipairs(threads) do
    non_2xx_total = non_2xx_total + thread:get("non_2xx")
    for code in string.gmatch(thread:get("statuses"), "%d+") do
      seen[code] = true
    end
  end
  local codes = {}
  for code in pairs(seen) do
    table.insert(codes, code)
  end
  table.sort(codes)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx": %d, "non_2xx_statuses": [%s], '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"min": %d, "mean": %.1f, "max": %d, "stdev": %.1f, "p50": %d, "p90": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes, non_2xx_total, table.concat(codes, ", "),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)
  ))
end
