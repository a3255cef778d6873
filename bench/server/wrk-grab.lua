-- wrk side of bench/server/run-server-benchmarks: POST /api/coupon/grab with a random user
-- (1..100000) and a random coupon (1..500) per request, as the seeded default data set has.
-- Counts responses that are not HTTP 200 or lack a grab_status (done() prints bad_responses).
bad = 0  -- global: done() reads it from each thread with thread:get()
local threads = {}
local headers = {["Content-Type"] = "application/json"}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time())
end

function request()
  return wrk.format("POST", "/api/coupon/grab", headers,
    string.format('{"user_id":%d,"coupon_id":%d}', math.random(1, 100000), math.random(1, 500)))
end

function response(status, hdrs, body)
  if status ~= 200 or not body:find('"grab_status"', 1, true) then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("bad_responses %d\n", total))
end
