-- wrk script: a crawler (issue 16) over the pages listed in the file BENCH_CRAWL_URLS (one path a line:
-- every page of every thread, every board page; bench/nodes.sh writes it, shuffled).
--   BENCH_CRAWL_MODE=once    each page once (all cache misses): wrk threads and the wrk runs of the other
--                            nodes (BENCH_CRAWL_PART of BENCH_CRAWL_PARTS) take disjoint strides of the list
--   BENCH_CRAWL_MODE=random  pages drawn at random with replacement (revisits hit the page cache),
--                            seeded with BENCH_CRAWL_SEED + the part and thread numbers; with
--                            BENCH_CRAWL_AFFINITY=1 each part draws only from its own share of the list
--                            (every PARTS-th page), as a load balancer that sends a URL always to the same
--                            node does (nginx `hash $request_uri consistent`, docs/SCALING.md)
local nthreads = 0
function setup(thread)
	thread:set("id", nthreads)
	nthreads = nthreads + 1
end
local urls, n, once, stream, streams, part, parts, affinity
function init(args)
	urls = {}
	for line in io.lines(os.getenv("BENCH_CRAWL_URLS")) do urls[#urls + 1] = line end
	once = os.getenv("BENCH_CRAWL_MODE") == "once"
	part, parts = tonumber(os.getenv("BENCH_CRAWL_PART") or "0"), tonumber(os.getenv("BENCH_CRAWL_PARTS") or "1")
	affinity = os.getenv("BENCH_CRAWL_AFFINITY") == "1" and parts > 1
	local per = tonumber(os.getenv("BENCH_CRAWL_WRK_THREADS") or "1")
	stream = part * per + (id or 0)
	streams = parts * per
	math.randomseed(tonumber(os.getenv("BENCH_CRAWL_SEED") or "1") + stream)
	n = 0
end
function request()
	local k
	if once then
		k = (n * streams + stream) % #urls + 1
	elseif affinity then
		k = part + 1 + parts * (math.random(math.floor((#urls - 1 - part) / parts) + 1) - 1)
	else
		k = math.random(#urls)
	end
	n = n + 1
	return wrk.format(nil, urls[k])
end
