// `node dist/bench/redact.js [MB]` (after `npm run build`): the throughput of the secret scrub (secrets.ts) on
// texts the size of a large plan (default 50 MB), with two secrets registered. Not a test: it prints figures and
// asserts nothing. The texts are flat strings, as JSON.stringify and the renderers make them.

import { createHash, randomBytes } from 'node:crypto';
import { redact, registerSecret } from '../secrets.js';

const mb = Number(process.argv[2] ?? 50);
const size = Math.round(mb * 1024 * 1024);
const KEY = `sk-ant-admin01-${randomBytes(60).toString('base64url')}`;
const TOKEN = `scimtok_${randomBytes(30).toString('base64url')}`;
registerSecret(KEY);
registerSecret(TOKEN);

/** `unit(i)` repeated up to `size` characters, as one flat string. */
function fill(unit: (i: number) => string): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < size; i += 1) {
    const u = unit(i);
    parts.push(u);
    n += u.length;
  }
  return Buffer.from(parts.join('').slice(0, size)).toString();
}

const hex = (i: number): string => createHash('sha256').update(String(i)).digest('hex');
const texts: Array<[string, string]> = [
  ['a JSON plan (emails, ids, sha256 fingerprints), no secret', fill((i) =>
    `    { "address": "member[\\"user${i}@example.com\\"]", "action": "update", "id": "user_01${hex(i).slice(0, 22)}", ` +
      `"reason": "role user → developer", "fingerprint": "${hex(i)}" },\n`)],
  ['random base64, no secret (the worst case for the filter)', fill(() => randomBytes(3 * 1024).toString('base64'))],
  ['the JSON plan with a base64 piece of the key every 300 lines (about 30 KB)', fill((i) =>
    i % 300 === 0 ? `"${Buffer.from(KEY.slice(20, 50)).toString('base64')}"\n` : `{ "address": "member[\\"user${i}@example.com\\"]", "fingerprint": "${hex(i)}" },\n`)],
];

for (const [label, text] of texts) {
  redact(text.slice(0, 1_000_000)); // warm up
  const runs: number[] = [];
  let out = '';
  for (let i = 0; i < 3; i += 1) {
    const t0 = process.hrtime.bigint();
    out = redact(text);
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const best = Math.min(...runs);
  const pieces = out.split('[redacted]').length - 1;
  console.log(`${label}: ${(text.length / 1024 / 1024).toFixed(0)} MB in ${runs.map((r) => r.toFixed(0)).join(' / ')} ms ` +
    `(best ${(text.length / 1024 / 1024 / (best / 1000)).toFixed(0)} MB/s), ${pieces} redacted`);
}
