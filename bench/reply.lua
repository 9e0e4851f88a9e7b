-- wrk script: a stream of replies through the JSON API.
-- BENCH_TOKEN (bearer token) and BENCH_BODY (JSON) come from bench/run.sh.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.body = os.getenv("BENCH_BODY")
