#!/usr/bin/env node
// How fast nostr-tools (pure JS, @noble/curves) verifies events in one thread: the reference point for fedai's
// libsecp256k1 verifier. Signs 2,000 events, then times 20,000 verifyEvent calls (id hash + BIP-340 check).
//   node bench-verify.mjs [--events 2000] [--verifications 20000]
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { finalizeEvent, generateSecretKey, verifyEvent } from 'nostr-tools/pure';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '2000' },
    verifications: { type: 'string', default: '20000' },
  },
});
const eventCount = Number(values.events);
const verificationCount = Number(values.verifications);

// Typical fedai traffic: a few tags, a few hundred bytes of content, several authors.
const keys = Array.from({ length: 16 }, () => generateSecretKey());
const signStart = process.hrtime.bigint();
const signed = Array.from({ length: eventCount }, (_, i) => finalizeEvent({
  kind: 4400,
  created_at: 1763000000 + i,
  tags: [['p', 'ab'.repeat(32)], ['expiration', String(1763003600 + i)], ['t', 'fedai']],
  content: `job ${i} `.padEnd(300, 'x'),
}, keys[i % keys.length]));
const signSeconds = Number(process.hrtime.bigint() - signStart) / 1e9;

// verifyEvent caches its verdict on the object (a symbol property), so every timed call gets a fresh copy,
// made before the clock starts.
const fresh = (n) => Array.from({ length: n }, (_, i) => JSON.parse(JSON.stringify(signed[i % signed.length])));
for (const e of fresh(1000)) verifyEvent(e); // warm-up: let V8 optimise the hot paths first
const batch = fresh(verificationCount);

const cpuStart = process.cpuUsage();
const start = process.hrtime.bigint();
let valid = 0;
for (const e of batch) if (verifyEvent(e)) valid++;
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6; // steadier than wall time on a shared machine

if (valid !== verificationCount) {
  console.error(`bench-verify: only ${valid} of ${verificationCount} verified`);
  process.exit(1);
}
console.log(`bench-verify: node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one thread`);
console.log(`bench-verify: signed ${eventCount} events in ${signSeconds.toFixed(2)} s (${Math.round(eventCount / signSeconds)} events/s)`);
console.log(`bench-verify: ${verificationCount} verifyEvent calls in ${seconds.toFixed(2)} s: ${Math.round(verificationCount / seconds)} events/s`
  + ` (${cpuSeconds.toFixed(2)} s of CPU: ${Math.round(verificationCount / cpuSeconds)} events/s per CPU-second;`
  + ` load average ${loadavg()[0].toFixed(2)} on ${cpus().length} CPUs)`);
