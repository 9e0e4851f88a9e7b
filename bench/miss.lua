-- wrk script: every request a page nobody has read yet (a guest cache miss: render, compress, store):
-- thread pages /t/1..BENCH_MISS_THREADS, then pages 1.. of the big thread BENCH_MISS_BIGTID. wrk's
-- threads take alternate numbers (setup gives each its id), so no page is asked for twice until
-- all are used. Issue 16: the miss path is what a crawler costs.
local nthreads = 0
function setup(thread)
	thread:set("id", nthreads)
	nthreads = nthreads + 1
	thread:set("stride", 2)
end
local n = 0
function request()
	local k = n * (stride or 2) + (id or 0) + 1
	n = n + 1
	local threads = tonumber(os.getenv("BENCH_MISS_THREADS"))
	local path
	if k <= threads then
		path = "/t/" .. k
	else
		path = "/t/" .. os.getenv("BENCH_MISS_BIGTID") .. "?page=" .. (k - threads)
	end
	return wrk.format(nil, path)
end
