-- wrk script: prints one machine-readable line at the end of a run.
-- bench/run.sh parses it: requests, duration, bytes (headers included),
-- p50/p99 latency in microseconds, non-2xx/3xx and socket errors.
done = function(s, latency, requests)
	local e = s.errors
	io.write(string.format("RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d errors=%d status_errors=%d\n",
		s.requests, s.duration, s.bytes, latency:percentile(50), latency:percentile(99),
		e.connect + e.read + e.write + e.timeout, e.status))
end
