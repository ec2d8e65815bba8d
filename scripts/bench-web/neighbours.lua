-- wrk: the neighbour API of a random feature (same-SAE HNSW query plus labels).
math.randomseed(7)
request = function()
  return wrk.format("GET", "/api/bench-web/bench-100k/" .. math.random(0, 99999) .. "/neighbours")
end
