#!/usr/bin/env node
// Writes src/test/resources/interop/nostr-tools-events.jsonl: the hard events of interop-cases.mjs signed by
// nostr-tools (plus tampered copies), so the Java suite checks fedai's verifier against nostr-tools without
// Node.js. One JSON object per line: {"name", "expect" (an EventCheck name), "event"}.
//   node gen-vectors.mjs      (re-run only when interop-cases.mjs changes; commit the output)
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSecretKey, getEventHash, verifyEvent } from 'nostr-tools/pure';
import { hardEvents, tampered } from './interop-cases.mjs';

const out = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'test', 'resources', 'interop', 'nostr-tools-events.jsonl');
// 'very-many' (1,500 tags, 120 KB) stays in the live interop run only, to keep the repository small.
const valid = hardEvents(generateSecretKey()).filter((e) => !e.name.includes('very-many'));
const lines = [];
for (const { name, event } of valid) {
  if (!verifyEvent(JSON.parse(JSON.stringify(event))) || getEventHash(event) !== event.id) throw new Error(`nostr-tools rejects ${name}`);
  lines.push({ name, expect: 'VALID', event });
}
for (const { name, expect, event } of tampered(valid, generateSecretKey())) {
  if (verifyEvent(JSON.parse(JSON.stringify(event)))) throw new Error(`nostr-tools accepts tampered ${name}`);
  lines.push({ name, expect, event });
}
writeFileSync(out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
console.log(`gen-vectors: wrote ${lines.length} events to ${out}`);
