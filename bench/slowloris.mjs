// bench/slowloris.mjs PORT N: keeps N slow connections open to 127.0.0.1:PORT,
// spread over 127.0.0.2... (60 per address, under the per-IP cap). Each sends a
// request line and then one header byte a second, and is reopened as soon as
// the server closes it (the guard closes each one after HTTP_HEAD_DEADLINE_S).
// Prints "open N reopened M" every second. Loopback only; runs until killed.
import net from 'node:net';

const port = Number(process.argv[2]);
const n = Number(process.argv[3]);
const PER_ADDR = 60;
let open = 0, reopened = 0, first = true;

function one(i) {
  const localAddress = `127.0.${2 + Math.floor(i / PER_ADDR / 250)}.${2 + (Math.floor(i / PER_ADDR) % 250)}`;
  const s = net.connect({ host: '127.0.0.1', port, localAddress });
  let timer = null, up = false;
  s.on('connect', () => {
    up = true;
    open++;
    s.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    timer = setInterval(() => s.write('a'), 1000);
  });
  s.on('error', () => {});
  s.on('close', () => {
    clearInterval(timer);
    if (up) open--;
    reopened++;
    setTimeout(() => one(i), up ? 0 : 200);
  });
}
for (let i = 0; i < n; i++) one(i);
setInterval(() => {
  process.stdout.write(`open ${open} reopened ${first ? 0 : reopened}\n`);
  first = false;
}, 1000);
