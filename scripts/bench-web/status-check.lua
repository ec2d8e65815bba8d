-- Shared by the issue-17 wrk scripts: counts answers by status in every thread and, at the end, prints them
-- and exits with 1 when any answer was not 2xx or 304 (a 304 is the success of a revalidation).
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end
function count_status(status)
  if status == 304 then
    revalidated = revalidated + 1
  elseif status >= 200 and status < 300 then
    ok = ok + 1
  else
    bad = bad + 1
  end
end
function done(summary, latency, requests)
  local o, r, b = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); r = r + t:get("revalidated"); b = b + t:get("bad")
  end
  io.write(string.format("answers: %d x 2xx, %d x 304, %d other\n", o, r, b))
  if b > 0 or summary.errors.connect + summary.errors.read + summary.errors.timeout > 0 then
    io.write("FAILED: answers other than 2xx/304, or socket errors\n")
    os.exit(1)
  end
end
