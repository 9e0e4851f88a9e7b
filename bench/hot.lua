-- wrk script: one hot thread, read by guests (gzip) with a share of replies through the JSON API
-- (issue 16: "a reply does not throw away the thread"). Every BENCH_HOT_EVERY-th request of a wrk
-- thread is a reply (20: 95/5; 0: reads only); the reads walk pages 1..BENCH_HOT_PAGES of the thread
-- BENCH_HOT_TID. BENCH_TOKEN (bearer) and BENCH_BODY (JSON) come from bench/hot.sh.
local tid = os.getenv("BENCH_HOT_TID")
local pages = tonumber(os.getenv("BENCH_HOT_PAGES"))
local every = tonumber(os.getenv("BENCH_HOT_EVERY") or "0")
local post = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "") }
local read = { ["Accept-Encoding"] = "gzip" }
local n = 0
function request()
	n = n + 1
	if every > 0 and n % every == 0 then
		return wrk.format("POST", "/api/v1/threads/" .. tid .. "/posts", post, os.getenv("BENCH_BODY"))
	end
	return wrk.format("GET", "/t/" .. tid .. "?page=" .. (n % pages + 1), read)
end
