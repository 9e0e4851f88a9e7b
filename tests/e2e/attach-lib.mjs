// Fixtures for the attachment tests: images made with the vips CLI (libvips-tools),
// a JPEG with an EXIF GPS block spliced in, an EXIF parser for the served bytes,
// a PNG whose header claims 100000 x 100000 pixels, and upload helpers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loulan-att-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

/** An image made by vips: a gradient W x H saved as EXT (jpg, png, webp, gif). */
export function makeImage(w, h, ext = 'jpg', seed = 1) {
  const xyz = path.join(tmp, `xyz-${w}-${h}-${seed}.v`);
  const out = path.join(tmp, `img-${w}-${h}-${seed}.${ext}`);
  execFileSync('vips', ['xyz', xyz, String(w), String(h)]);
  // two bands (x, y) -> three bands: x, y, seed-dependent constant
  const three = path.join(tmp, `rgb-${w}-${h}-${seed}.v`);
  execFileSync('vips', ['bandjoin_const', xyz, three, String((seed * 37) % 256)]);
  const u8 = path.join(tmp, `u8-${w}-${h}-${seed}.v`);
  execFileSync('vips', ['cast', three, u8, 'uchar']);
  execFileSync('vips', ['copy', u8, out]);
  return fs.readFileSync(out);
}

/** The JPEG with an APP1 Exif block after SOI: IFD0 has Orientation and a GPS IFD (0x8825) with GPSLatitudeRef "N". */
export function withGps(jpeg) {
  const t = Buffer.alloc(56);
  t.write('II', 0, 'latin1');
  t.writeUInt16LE(42, 2);
  t.writeUInt32LE(8, 4);          // IFD0 at 8
  t.writeUInt16LE(2, 8);          // two entries
  t.writeUInt16LE(0x0112, 10); t.writeUInt16LE(3, 12); t.writeUInt32LE(1, 14); t.writeUInt16LE(1, 18);
  t.writeUInt16LE(0x8825, 22); t.writeUInt16LE(4, 24); t.writeUInt32LE(1, 26); t.writeUInt32LE(38, 30);
  t.writeUInt32LE(0, 34);         // no next IFD
  t.writeUInt16LE(1, 38);         // GPS IFD: one entry
  t.writeUInt16LE(0x0001, 40); t.writeUInt16LE(2, 42); t.writeUInt32LE(2, 44); t.write('N\0', 48, 'latin1');
  t.writeUInt32LE(0, 52);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
  const seg = Buffer.alloc(4);
  seg[0] = 0xff; seg[1] = 0xe1; seg.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), seg, payload, jpeg.subarray(2)]);
}

/** Does this JPEG carry an EXIF GPS IFD (tag 0x8825 in IFD0)? Parses the markers up to SOS. */
export function hasGps(buf) {
  if (buf[0] !== 0xff || buf[1] !== 0xd8) throw new Error('not a JPEG');
  let i = 2;
  while (i + 4 <= buf.length && buf[i] === 0xff) {
    const marker = buf[i + 1];
    if (marker === 0xda) break;   // SOS: image data follows
    const len = buf.readUInt16BE(i + 2);
    const seg = buf.subarray(i + 4, i + 2 + len);
    if (marker === 0xe1 && seg.subarray(0, 6).toString('latin1') === 'Exif\0\0') {
      const t = seg.subarray(6);
      const le = t.toString('latin1', 0, 2) === 'II';
      const u16 = (o) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o));
      const u32 = (o) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o));
      const ifd = u32(4);
      for (let k = 0; k < u16(ifd); k++) if (u16(ifd + 2 + k * 12) === 0x8825) return true;
    }
    i += 2 + len;
  }
  return false;
}

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG whose IHDR says W x H (valid CRC) followed by a tiny IDAT and IEND: a decompression bomb's header. */
export function pngClaiming(w, h) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

/** POST /api/v1/attachments with one file; returns {status, json, text}. */
export async function upload(url, token, name, bytes, fields = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, String(v));
  fd.append('file', new Blob([bytes]), name);
  const res = await fetch(url + '/api/v1/attachments', {
    method: 'POST', body: fd, headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

/** GET returning the bytes: {status, headers, bytes}. */
export async function fetchBytes(url, headers = {}) {
  const res = await fetch(url, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** width and height of a PNG/JPEG/WebP/GIF by `vipsheader`. */
export function sizeOf(bytes) {
  const f = path.join(tmp, `probe-${process.hrtime.bigint()}`);
  fs.writeFileSync(f, bytes);
  const out = execFileSync('vipsheader', ['-f', 'width', f]).toString().trim() + 'x' +
    execFileSync('vipsheader', ['-f', 'height', f]).toString().trim();
  fs.rmSync(f);
  return out;
}

/** A 1x1 animated GIF of two frames (looping), written by hand. */
export function animatedGif() {
  const frame = Buffer.from([0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00,
    0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00]);
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'), Buffer.from([0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00]),
    Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff, 0xff]),
    Buffer.from([0x21, 0xff, 0x0b]), Buffer.from('NETSCAPE2.0', 'latin1'), Buffer.from([0x03, 0x01, 0x00, 0x00, 0x00]),
    frame, frame, Buffer.from([0x3b]),
  ]);
}

/** libvips' n-pages of an image (frames of a GIF/WebP). */
export function pagesOf(bytes) {
  const f = path.join(tmp, `pages-${process.hrtime.bigint()}`);
  fs.writeFileSync(f, bytes);
  let out;
  try { out = execFileSync('vipsheader', ['-f', 'n-pages', f]).toString().trim(); } catch { out = '1'; }
  fs.rmSync(f);
  return Number(out);
}
