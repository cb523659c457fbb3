-- The signed-in eligibility check, POSTed as the dashboard's quick check does (htmx),
-- with the session cookie and its CSRF token, by member ID + DOB or last name + DOB
-- (LOADRUN_BY=id|name). Members come from LOADRUN_MEMBERS, one per line, already
-- URL-encoded: id, last name, DOB separated by tabs.
local members = {}
for line in io.lines(os.getenv("LOADRUN_MEMBERS")) do
  local id, last, dob = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
  if id then members[#members + 1] = { id, last, dob } end
end
local byName = os.getenv("LOADRUN_BY") == "name"
local csrf = os.getenv("LOADRUN_CSRF")
wrk.method = "POST"
wrk.headers["Cookie"] = os.getenv("LOADRUN_COOKIE")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["HX-Request"] = "true"
math.randomseed(os.time())
request = function()
  local m = members[math.random(1, #members)]
  local q = m[1]
  if byName then q = m[2] end
  return wrk.format(nil, nil, nil, "q=" .. q .. "&dob=" .. m[3] .. "&_csrf=" .. csrf)
end
