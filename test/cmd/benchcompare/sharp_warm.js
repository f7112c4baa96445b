// sharp_warm.js keeps sharp loaded and makes one 128x128 cover thumbnail per
// request, the way a warm function would: benchcompare writes one source path
// per line on stdin and reads one JSON line per thumbnail on stdout, with the
// CPU time (user+sys, microseconds) of this process around toBuffer() alone.
// The source is read into memory before the clock starts, as the function
// holds the S3 object's bytes. One libvips thread and no operation cache, so
// each request does all its own work on one core.
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const sharp = require('sharp');

sharp.concurrency(1);
sharp.cache(false);

const side = Number(process.env.THUMB_SIDE || 128);

// JPEG sources, and HEIC and AVIF ones, get a JPEG thumbnail, as in the product.
const jpegOut = new Set(['.jpg', '.jpeg', '.heic', '.heif', '.avif']);

// thumbnail encodes as the product does: JPEG q85 for the sources above, PNG otherwise.
function thumbnail(buf, ext) {
  const img = sharp(buf).rotate().resize(side, side, { fit: 'cover' });
  return jpegOut.has(ext) ? img.jpeg({ quality: 85 }) : img.png();
}

async function main() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  process.stdout.write(JSON.stringify({ sharp: sharp.versions }) + '\n');
  for await (const line of rl) {
    const file = line.trim();
    if (!file) continue;
    try {
      const buf = fs.readFileSync(file);
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      const out = await thumbnail(buf, path.extname(file).toLowerCase()).toBuffer();
      const c = process.cpuUsage(c0);
      const wall = Number(process.hrtime.bigint() - t0) / 1000;
      process.stdout.write(JSON.stringify({ cpuMicros: c.user + c.system, wallMicros: wall, bytes: out.length }) + '\n');
    } catch (err) {
      process.stdout.write(JSON.stringify({ error: String(err && err.message || err) }) + '\n');
    }
  }
}

main();
