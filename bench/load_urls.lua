-- wrk script: each request takes the next path in turn, so every client covers pages and API alike.
-- Paths are those of the Palmyra fixture; the header stands for the TLS proxy in front of gunicorn.
local paths = {
  "/", "/monuments/", "/monuments/tetrapylon/", "/monuments/roman-theatre/", "/monuments/palmyra/",
  "/incidents/", "/search/?q=%D8%AA%D8%AF%D9%85%D8%B1",
  "/api/v1/", "/api/v1/monuments/", "/api/v1/monuments/tetrapylon/", "/api/v1/incidents/",
  "/api/v1/incidents/?monument=palmyra", "/api/v1/articles/", "/api/v1/monuments/?format=geojson",
  "/api/v1/incidents/?format=csv",
}
local counter = 0
statuses = {}

request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  return wrk.format("GET", path, { ["X-Forwarded-Proto"] = "https", ["Host"] = "127.0.0.1" })
end

-- Tally every status per thread, then sum in done(): a non-2xx answer is a failure.
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function() statuses = {} end
response = function(status) statuses[status] = (statuses[status] or 0) + 1 end

done = function()
  local totals = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, count in pairs(counts) do totals[status] = (totals[status] or 0) + count end
  end
  for status, count in pairs(totals) do io.write(string.format("status %d: %d\n", status, count)) end
end
