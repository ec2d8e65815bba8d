-- wrk: GET a random feature page of the benchmark SAE (100 000 features) on every request.
math.randomseed(42)
request = function()
  return wrk.format("GET", "/bench-web/bench-100k/" .. math.random(0, 99999))
end
