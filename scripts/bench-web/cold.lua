-- wrk: a random feature page of the realistic bench SAE (100 000 features) per request, no revalidation.
dofile("scripts/bench-web/status-check.lua")
local path = os.getenv("BENCH_PATH") or "/bench-web-768/bench-768-100k/"
function init(args)
  ok, revalidated, bad = 0, 0, 0
  math.randomseed(42 + thread_id)
end
function request()
  return wrk.format("GET", path .. math.random(0, 99999))
end
function response(status, headers, body)
  count_status(status)
end
