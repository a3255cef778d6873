-- wrk side of the coupon-shapes benchmark (bench/run-benchmarks): the requests of
-- bench/coupon-shapes.json built per request in Lua (same weights, JSON bodies, templated
-- paths, query string, Accept header), and a response() check that counts bodies without
-- a grab_status of 0 or 1 -- wrk's closest equivalent of the scenario's checks.
local user_id
bad = 0  -- global: done() reads it from each thread with thread:get()
local threads = {}
local headers = {["Accept"] = "application/json", ["Content-Type"] = "application/json"}

-- cumulative weights 10, 10, 3, 2, 1, 1 (of 27)
local function pick()
  local r = math.random(27)
  if r <= 10 then
    return wrk.format("POST", "/api/coupon/grab", headers,
      string.format('{"user_id":%d,"coupon_id":%d}', user_id, math.random(1, 500)))
  elseif r <= 20 then
    local room = math.random(1, 5)
    return wrk.format("POST", "/api/coupon/grab", headers,
      string.format('{"user_id":%d,"room_id":%d,"coupon_id":%d}', user_id, room,
                    (room - 1) * 5 + math.random(1, 5)))
  elseif r <= 23 then
    return wrk.format("GET", string.format("/api/user/%d/coupons", user_id), headers)
  elseif r <= 25 then
    return wrk.format("GET", string.format("/api/room/%d/stats", math.random(1, 5)), headers)
  elseif r <= 26 then
    return wrk.format("GET", string.format("/api/coupon/%d/stock", math.random(1, 500)), headers)
  end
  return wrk.format("GET", "/api/orders/recent?hours=1", headers)
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time())
  user_id = math.random(1, 100000)
end

function request()
  return pick()
end

function response(status, hdrs, body)
  if status ~= 200 or not string.find(body, '"grab_status": *[01]') then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + (thread:get("bad") or 0) end
  io.write(string.format("bad_responses %d\n", total))
end
