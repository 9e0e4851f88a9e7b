-- wrk script: a crawler's mix (issue 16): random thread pages /t/1..BENCH_CRAWL_THREADS (two in three
-- requests) and random board pages /f/F?page=1..BENCH_CRAWL_PAGES of boards BENCH_CRAWL_FIRST_FID ..
-- + BENCH_CRAWL_BOARDS - 1; with replacement, so a share of them hit the page cache (more as the run
-- goes). Each wrk thread seeds its own generator (BENCH_CRAWL_SEED + its number): runs compare.
local nthreads = 0
function setup(thread)
	thread:set("id", nthreads)
	nthreads = nthreads + 1
end
local seeded = false
function request()
	if not seeded then
		math.randomseed(tonumber(os.getenv("BENCH_CRAWL_SEED") or "1") + (id or 0))
		seeded = true
	end
	local path
	if math.random(3) <= 2 then
		path = "/t/" .. math.random(tonumber(os.getenv("BENCH_CRAWL_THREADS")))
	else
		local fid = tonumber(os.getenv("BENCH_CRAWL_FIRST_FID")) + math.random(tonumber(os.getenv("BENCH_CRAWL_BOARDS"))) - 1
		path = "/f/" .. fid .. "?page=" .. math.random(tonumber(os.getenv("BENCH_CRAWL_PAGES")))
	end
	return wrk.format(nil, path)
end
