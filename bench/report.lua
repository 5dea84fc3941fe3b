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
  -- "uncached": a parameter the portal ignores makes each address unique, so that the page
  -- cache never answers and the page is measured as rendered. args[2]: a token of this run.
  uncached = args[1] == "uncached"
  run = args[2] or ""
  -- "rotate": each request asks for another record, so that nothing the page shares by
  -- meaning (a record's parts) is warm: NNNNN in the path becomes record number
  -- 1 + (first + request) mod records, the requests of all threads interleaved.
  rotate = args[1] == "rotate"
  records, first, thread_count = tonumber(args[3] or "1"), tonumber(args[4] or "0"), tonumber(args[5] or "1")
  sent = 0
  -- As every browser does: pages travel compressed.
  wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
end

function request()
  if rotate then
    local record = 1 + (first + sent * thread_count + number - 1) % records
    sent = sent + 1
    return wrk.format(nil, (string.gsub(wrk.path, "NNNNN", string.format("%05d", record))))
  end
  if not uncached then
    return wrk.format()
  end
  sent = sent + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "bench=" .. run .. "-" .. number .. "-" .. sent)
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
