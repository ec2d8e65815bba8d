-- wrk: a team opening shared permalinks: every request is one of 20 feature pages; each wrk thread remembers
-- the ETag it got for a page and revalidates with If-None-Match (REVALIDATE=0: plain GETs, which the
-- server answers from its rendered-answer cache).
dofile("scripts/bench-web/status-check.lua")
local path = os.getenv("BENCH_PATH") or "/bench-web-768/bench-768-100k/"
local revalidate = os.getenv("REVALIDATE") ~= "0"
local pages = {}
for i = 1, 20 do pages[i] = path .. ((i * 4973) % 100000) end
function init(args)
  ok, revalidated, bad = 0, 0, 0
  etags, last = {}, nil
  math.randomseed(42 + thread_id)
end
function request()
  last = pages[math.random(1, #pages)]
  local headers = {}
  if revalidate and etags[last] then headers["If-None-Match"] = etags[last] end
  return wrk.format("GET", last, headers)
end
function response(status, headers, body)
  count_status(status)
  local etag = headers["ETag"] or headers["etag"]
  if etag and last then etags[last] = etag end
end
