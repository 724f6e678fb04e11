-- wrk script: optional POST from environment variables, and a one-line JSON summary
-- (requests per second, latency percentiles in microseconds, bytes per response).
local method = os.getenv("WRK_METHOD")
if method then
  wrk.method = method
  wrk.body = os.getenv("WRK_BODY") or ""
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local cookie = os.getenv("WRK_COOKIE")
if cookie then wrk.headers["Cookie"] = cookie end
local token = os.getenv("WRK_CSRF")
if token then wrk.headers["X-CSRFToken"] = token end
if os.getenv("WRK_HTMX") then wrk.headers["HX-Request"] = "true" end

-- No response() callback: it would make wrk parse every response in Lua. Statuses other
-- than 2xx/3xx are counted by wrk itself (errors.status).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRK_JSON {"requests": %d, "rps": %.1f, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"bytes": %d, "non_2xx_3xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.requests / seconds, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.bytes, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
