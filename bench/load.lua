-- wrk script of bench/load.py, which runs it as
--
--   wrk --threads N --connections N --script load.lua URL -- BODIES OUT
--
-- One connection per thread, so a thread's next answer is always to the request it sent last. Each thread
-- POSTs the SPARQL queries of BODIES in turn (each one as its length in bytes, a newline, the query),
-- starting at its own place in the list so that the threads do not send the same query at the same time.
-- It keeps, for every answer, which query it was, the HTTP status, the seconds it took and whether the
-- body looked like SPARQL JSON. done() writes all that to OUT as JSON, with how long each thread's last
-- request had been waiting when the run stopped (wrk drops such requests silently: a server stuck on a slow
-- query would otherwise look as if it had no errors at all). load.py computes the figures from it, rather
-- than taking wrk's percentiles, which wrk "corrects" by adding samples it never measured.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long sec; long nsec; } load_timespec;
int clock_gettime(int clock, load_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("load_timespec")

local function now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.sec) + tonumber(clock.nsec) * 1e-9
end

-- in the main Lua state, which runs setup() and done()
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

-- in each thread's own Lua state
local prepared = {}
local following -- index (from 0) of the query to send next
records = {}    -- query, status, seconds, valid; flat, four numbers per answer
sent = nil      -- the query in flight and since when
started = nil

function init(args)
  local data = assert(io.open(args[1], "rb")):read("*a")
  local at = 1
  while at <= #data do
    local eol = data:find("\n", at, true)
    local size = tonumber(data:sub(at, eol - 1))
    local headers = {["Content-Type"] = "application/sparql-query", ["Accept"] = "application/sparql-results+json"}
    prepared[#prepared + 1] = wrk.format("POST", nil, headers, data:sub(eol + 1, eol + size))
    at = eol + size + 1
  end
  following = id % #prepared
  output = args[2]
end

function request()
  sent, started = following, now()
  following = (following + 1) % #prepared
  return prepared[sent + 1]
end

function response(status, headers, body)
  local valid = body:find('"head"', 1, true) and 1 or 0
  local n = #records
  records[n + 1], records[n + 2], records[n + 3], records[n + 4] = sent, status, now() - started, valid
  sent = nil
end

function done(summary, latency, requests)
  local stopped = now()
  local out = assert(io.open(threads[1]:get("output"), "w"))
  local errors = summary.errors
  out:write(string.format('{"duration_s": %.6f, "socket_errors": %d, "threads": [', summary.duration / 1e6,
                          errors.connect + errors.read + errors.write))
  for i, thread in ipairs(threads) do
    local found, pending = thread:get("records"), "null"
    if thread:get("sent") ~= nil then
      pending = string.format('[%d, %.6f]', thread:get("sent"), stopped - thread:get("started"))
    end
    local answers = {}
    for k = 1, #found, 4 do
      answers[#answers + 1] = string.format("[%d, %d, %.6f, %d]", found[k], found[k + 1], found[k + 2], found[k + 3])
    end
    out:write(string.format('%s{"answers": [%s], "pending": %s}', i > 1 and ", " or "",
                            table.concat(answers, ", "), pending))
  end
  out:write("]}\n")
  out:close()
end
