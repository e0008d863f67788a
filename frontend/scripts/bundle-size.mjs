#!/usr/bin/env node
// Initial JS = the entry chunk plus every chunk it imports statically (lazy routes excluded), gzip-compressed.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dist = join(import.meta.dirname, '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const seen = new Set();
const walk = (key) => {
  if (seen.has(key)) return;
  seen.add(key);
  for (const dep of manifest[key].imports ?? []) walk(dep);
};
walk(entryKey);
let raw = 0;
let gz = 0;
for (const key of seen) {
  const buf = readFileSync(join(dist, manifest[key].file));
  raw += buf.length;
  gz += gzipSync(buf, { level: 9 }).length;
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`initial JS: ${seen.size} chunks, ${kb(raw)} KB raw, ${kb(gz)} KB gzip (budget 500 KB)`);
if (gz > 500 * 1024) process.exit(1);
