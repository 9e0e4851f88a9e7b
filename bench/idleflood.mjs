// bench/idleflood.mjs URL PID N ADDRS: holds N idle keep-alive connections (each made one request and
// read its answer) from ADDRS source addresses 127.0.1.1..; prints the server's VmRSS before and after
// (per held connection), how many the server closed to make room, and how long a new client then waits
// for its answer (three tries). Used by bench/idleflood.sh.
import net from 'node:net';
import fs from 'node:fs';

const [url, pid, nArg, aArg] = process.argv.slice(2);
const N = Number(nArg), ADDRS = Number(aArg);
const { hostname, port } = new URL(url);
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function idle(i) {
  return new Promise((resolve) => {
    const s = net.connect({ host: hostname, port: Number(port), localAddress: `127.0.1.${1 + (i % ADDRS)}` }, () => {
      s.write('GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    let got = false;
    s.on('data', () => { if (!got) { got = true; resolve(s); } });
    s.on('error', () => { if (!got) { got = true; resolve(null); } });
    s.on('close', () => { s.gone = true; if (!got) { got = true; resolve(null); } });
    setTimeout(() => { if (!got) { got = true; resolve(null); } }, 20000);
  });
}

function timed() {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const s = net.connect({ host: hostname, port: Number(port) }, () => {
      s.write('GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    const done = (ok) => { s.destroy(); resolve(ok ? Number(process.hrtime.bigint() - t0) / 1e6 : null); };
    s.on('data', () => done(true));
    s.on('error', () => done(false));
    setTimeout(() => done(false), 30000);
  });
}

const before = rss();
const held = [];
for (let i = 0; i < N; i += 200) {
  const batch = await Promise.all(Array.from({ length: Math.min(200, N - i) }, (_, k) => idle(i + k)));
  held.push(...batch.filter(Boolean));
}
await sleep(2000);
const open = held.filter((s) => !s.gone).length;
const after = rss();
const waits = [];
for (let k = 0; k < 3; k++) { waits.push(await timed()); await sleep(200); }
console.log(JSON.stringify({
  requested: N, answered: held.length, open_after: open, closed_by_server: held.length - open,
  rss_before_kb: before, rss_after_kb: after,
  kb_per_open_connection: open ? Math.round(((after - before) / open) * 10) / 10 : null,
  new_client_ms: waits.map((w) => (w === null ? null : Math.round(w * 10) / 10)),
}));
for (const s of held) s.destroy();
