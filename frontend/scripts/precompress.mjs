#!/usr/bin/env node
// Writes `.br` and `.gz` beside every compressible file of a built SPA, so the server sends the smallest form
// the browser accepts without compressing on each request. Usage: node scripts/precompress.mjs <dir>
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|webmanifest)$/;
// Below this a compressed copy saves less than its own headers cost.
const SMALLEST = 512;

const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });

const dir = process.argv[2];
if (!dir) {
  console.error('usage: precompress.mjs <dir>');
  process.exit(2);
}
let raw = 0;
let br = 0;
for (const path of files(dir)) {
  if (!COMPRESSIBLE.test(path)) continue;
  const body = readFileSync(path);
  if (body.length < SMALLEST) continue;
  const brotli = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  raw += body.length;
  br += brotli.length;
}
console.log(`precompressed ${(raw / 1024).toFixed(0)} KB to ${(br / 1024).toFixed(0)} KB (brotli)`);
