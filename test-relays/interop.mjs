#!/usr/bin/env node
// Interop between fedai's CLI (target/fedai.jar) and nostr-tools, directly and through a third-party relay:
//   a) nostr-tools signs hard events      -> `fedai event verify` accepts them, rejects tampered ones
//   b) `fedai event sign` signs the same  -> nostr-tools verifyEvent accepts, getEventHash equals the id
//   c) NIP-44 both ways                   -> `fedai nip44 decrypt|encrypt` and nostr-tools nip44 agree
//   d) a fedai-signed event through CodyTseng's nostr-relay with nostr-tools' SimplePool and Relay
//   e) NWC: `fedai wallet serve` through that relay, driven by @getalby/sdk's NWCClient; npm bolt11 decodes
//      fedai's invoices (interop-nwc.mjs)
//   f) NIP-90: `fedai router --nip90` and two `fedai node`s (MiniLM; OpenAI-compatible stand-in) paid over NWC, used by
//      a nostr-tools-only DVM customer that pays with @getalby/sdk; npm bolt11 checks the payee (interop-nip90.mjs)
// Prints one PASS/FAIL line per check, then `interop: N passed, M failed`; exits 1 if anything failed.
//
//   node interop.mjs [--jar PATH] [--relay ws://...] [--only a,b,c,d,e,f]
// FEDAI_CMD (space-separated) replaces `$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -jar JAR`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { generateSecretKey, getEventHash, getPublicKey, verifyEvent } from 'nostr-tools/pure';
import * as nip44 from 'nostr-tools/nip44';
import { Relay, useWebSocketImplementation as useWsForRelay } from 'nostr-tools/relay';
import { SimplePool, useWebSocketImplementation as useWsForPool } from 'nostr-tools/pool';
const bytesToHex = (bytes) => Buffer.from(bytes).toString('hex');
import { CONTENTS, KINDS_AND_TIMES, PLAINTEXTS, TAG_SETS, cliTag, hardEvents, tampered } from './interop-cases.mjs';
import { sectionE } from './interop-nwc.mjs';
import { sectionF } from './interop-nip90.mjs';

useWsForRelay(WebSocket); // Node 20 has no global WebSocket
useWsForPool(WebSocket);

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    jar: { type: 'string', default: resolve(here, '..', 'target', 'fedai.jar') },
    relay: { type: 'string' },
    only: { type: 'string', default: 'a,b,c,d,e,f' },
  },
});
const sections = new Set(opts.only.split(','));
const JAVA_TIMEOUT_MS = 120_000;
const RELAY_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------- reporting

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) {
    passed++;
    console.log(`PASS ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
  }
  return ok;
}
/** Runs one check body; an exception is that check's failure, never the end of the run. */
async function attempt(name, body) {
  try {
    const result = await body();
    if (result !== undefined) check(name, result === true, typeof result === 'string' ? result : '');
  } catch (error) {
    check(name, false, error?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(error));
  }
}
const show = (s, max = 120) => {
  const j = JSON.stringify(s) ?? String(s);
  return j.length > max ? `${j.slice(0, max)}...(${j.length} chars)` : j;
};

// ---------------------------------------------------------------- fedai CLI

function fedaiCommand() {
  if (process.env.FEDAI_CMD) return process.env.FEDAI_CMD.split(' ').filter(Boolean);
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  return [java, '--enable-native-access=ALL-UNNAMED', '-jar', opts.jar];
}
// Java decodes argv and encodes stdout by the locale; a non-UTF-8 one would turn our hard contents into '?'.
function childEnv() {
  const locale = process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || '';
  if (/utf-?8/i.test(locale)) return process.env;
  console.log(`note: locale ${JSON.stringify(locale)} is not UTF-8; running fedai with LC_ALL=C.UTF-8`);
  return { ...process.env, LC_ALL: 'C.UTF-8' };
}
const env = childEnv();

/** Runs `fedai ARGS` with `input` on stdin; stdout as a Buffer (NIP-44 output must be byte-exact). */
function fedai(args, input = '') {
  const [cmd, ...pre] = fedaiCommand();
  const r = spawnSync(cmd, [...pre, ...args], {
    input, env, timeout: JAVA_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024,
  });
  // EPIPE: fedai exited before reading all its input; its exit status and stderr tell why, so keep them.
  if (r.error && !(r.error.code === 'EPIPE' && r.status !== null)) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8').trim() };
}
const failure = (r) => `exit ${r.status}; stderr: ${show(r.stderr, 300)}`;

function fedaiSign(sk, kind, content, tags, createdAt) {
  const args = ['event', 'sign', '--sec', bytesToHex(sk), '--kind', String(kind), '--content', content,
    '--created-at', String(createdAt)];
  for (const tag of tags) args.push('--tag', cliTag(tag));
  const r = fedai(args);
  if (r.status !== 0) throw new Error(`fedai event sign: ${failure(r)}`);
  const lines = r.stdout.toString('utf8').split('\n').filter((l) => l.length > 0);
  if (lines.length !== 1) throw new Error(`fedai event sign printed ${lines.length} lines, want 1`);
  return JSON.parse(lines[0]);
}

// ---------------------------------------------------------------- a) nostr-tools signs, fedai verifies

function parseVerifyLines(stdout) {
  return stdout.toString('utf8').split('\n').filter((l) => l.length > 0);
}

async function sectionA(sk) {
  const events = hardEvents(sk);
  for (const { name, event } of events) {
    if (!verifyEvent(JSON.parse(JSON.stringify(event)))) throw new Error(`nostr-tools rejects its own event ${name}`);
  }
  const input = events.map((e) => JSON.stringify(e.event)).join('\n') + '\n';
  const r = fedai(['event', 'verify'], input);
  const lines = parseVerifyLines(r.stdout);
  check('a) fedai event verify exits 0 on all-valid input', r.status === 0, failure(r));
  check(`a) fedai event verify prints one line per event (${events.length})`, lines.length === events.length,
    `got ${lines.length}: ${show(lines.slice(0, 3), 300)}; ${failure(r)}`);
  events.forEach(({ name, event }, i) => {
    check(`a) verify ok: ${name}`, lines[i] === `ok ${event.id}`, `line ${show(lines[i])}`);
  });

  const bad = tampered(events, generateSecretKey());
  const mixed = [events[2], ...bad, events[3]];
  const r2 = fedai(['event', 'verify'], mixed.map((e) => JSON.stringify(e.event)).join('\n') + '\n');
  const lines2 = parseVerifyLines(r2.stdout);
  check('a) fedai event verify exits non-zero when any event is invalid, after a line for each event',
    r2.status !== 0 && r2.status !== null && lines2.length === mixed.length,
    `exit ${r2.status}, ${lines2.length} lines for ${mixed.length} events; stderr: ${show(r2.stderr, 200)}`);
  check('a) valid events around invalid ones still verify',
    lines2[0] === `ok ${mixed[0].event.id}` && lines2[mixed.length - 1] === `ok ${mixed.at(-1).event.id}`,
    show([lines2[0], lines2.at(-1)], 300));
  bad.forEach(({ name, event }, i) => {
    const line = lines2[i + 1] ?? '';
    check(`a) verify invalid: ${name}`, line.startsWith(`invalid ${event.id} `) && line.length > 'invalid '.length + 65,
      `line ${show(line)}`);
  });
}

// ---------------------------------------------------------------- b) fedai signs, nostr-tools verifies

/** All seven NIP-01 fields in a fixed order: relays and libraries order object keys differently. */
const canon = (e) => JSON.stringify([e.id, e.pubkey, e.created_at, e.kind, e.tags, e.content, e.sig]);
const sameEvent = (a, b) => JSON.stringify([a.kind, a.created_at, a.tags, a.content]) === JSON.stringify([b.kind, b.created_at, b.tags, b.content]);

async function sectionB(sk) {
  const pub = getPublicKey(sk);
  const argvContents = CONTENTS.filter((c) => c.argv !== false);
  const cliTagSets = TAG_SETS.filter((t) => t.cli !== false);
  const cases = argvContents.map((c, i) => ({
    name: `content ${c.name} + tags ${cliTagSets[i % cliTagSets.length].name}`,
    content: c.text, tags: cliTagSets[i % cliTagSets.length].tags, ...KINDS_AND_TIMES[i % KINDS_AND_TIMES.length],
  }));
  const signed = [];
  for (const c of cases) {
    await attempt(`b) fedai event sign -> nostr-tools verifyEvent: ${c.name}`, () => {
      const ev = fedaiSign(sk, c.kind, c.content, c.tags, c.createdAt);
      if (ev.pubkey !== pub) return `pubkey ${ev.pubkey}, want ${pub}`;
      if (!sameEvent(ev, { kind: c.kind, created_at: c.createdAt, tags: c.tags, content: c.content })) {
        return `fields differ: got ${show([ev.kind, ev.created_at, ev.tags, ev.content], 400)}`;
      }
      if (getEventHash(ev) !== ev.id) return `id ${ev.id} != nostr-tools getEventHash ${getEventHash(ev)}`;
      if (!verifyEvent({ ...ev })) return 'nostr-tools verifyEvent returned false';
      signed.push(ev);
      return true;
    });
  }
  return signed;
}

// ---------------------------------------------------------------- c) NIP-44 v2 both ways

async function sectionC() {
  const a = generateSecretKey(); // nostr-tools' side
  const b = generateSecretKey(); // fedai's side
  const [aPub, bPub] = [getPublicKey(a), getPublicKey(b)];
  const keyAB = nip44.v2.utils.getConversationKey(a, bPub);
  const decryptArgs = ['nip44', 'decrypt', '--sec', bytesToHex(b), '--peer', aPub];
  const encryptArgs = ['nip44', 'encrypt', '--sec', bytesToHex(b), '--peer', aPub];

  // A refusal only means something from a command that works: the negative checks below need a success first.
  let [decrypted, encrypted] = [0, 0];
  const works = (count, what) => (count > 0 ? null : `${what} never succeeded, so its refusal proves nothing`);
  for (const p of PLAINTEXTS) {
    await attempt(`c) nostr-tools encrypts -> fedai nip44 decrypt: ${p.name}`, () => {
      const payload = nip44.v2.encrypt(p.text, keyAB);
      const r = fedai(decryptArgs, payload);
      if (r.status !== 0) return failure(r);
      if (r.stdout.equals(Buffer.from(p.text, 'utf8'))) decrypted++;
      return r.stdout.equals(Buffer.from(p.text, 'utf8')) || `got ${show(r.stdout.toString('utf8'))}, want ${show(p.text)}`;
    });
    await attempt(`c) fedai nip44 encrypt -> nostr-tools decrypts: ${p.name}`, () => {
      const r = fedai(encryptArgs, Buffer.from(p.text, 'utf8'));
      if (r.status !== 0) return failure(r);
      const out = r.stdout.toString('utf8');
      if (!out.endsWith('\n') || out.slice(0, -1).includes('\n')) return `want one line of base64, got ${show(out)}`;
      const text = nip44.v2.decrypt(out.slice(0, -1), keyAB);
      if (text === p.text) encrypted++;
      return text === p.text || `decrypted ${show(text)}, want ${show(p.text)}`;
    });
  }
  await attempt('c) fedai nip44 encrypt output is fresh each time (random nonce)', () => {
    const [x, y] = [fedai(encryptArgs, 'same'), fedai(encryptArgs, 'same')];
    return (x.status === 0 && y.status === 0 && !x.stdout.equals(y.stdout)) || `${failure(x)}; ${failure(y)}`;
  });
  await attempt('c) fedai nip44 decrypt rejects a payload with a changed byte (MAC)', () => {
    const payload = Buffer.from(nip44.v2.encrypt('secret', keyAB), 'base64');
    payload[40] ^= 1; // inside the ciphertext
    if (works(decrypted, 'fedai nip44 decrypt')) return works(decrypted, 'fedai nip44 decrypt');
    const r = fedai(decryptArgs, payload.toString('base64'));
    return (r.status !== 0 && r.stdout.length === 0) || `exit ${r.status}, stdout ${show(r.stdout.toString())}`;
  });
  await attempt('c) fedai nip44 decrypt rejects a payload for another key pair', () => {
    const other = nip44.v2.utils.getConversationKey(generateSecretKey(), bPub);
    if (works(decrypted, 'fedai nip44 decrypt')) return works(decrypted, 'fedai nip44 decrypt');
    const r = fedai(decryptArgs, nip44.v2.encrypt('not from a', other));
    return (r.status !== 0 && r.stdout.length === 0) || `exit ${r.status}, stdout ${show(r.stdout.toString())}`;
  });
  await attempt('c) fedai nip44 encrypt rejects an empty plaintext (NIP-44: 1..65535 bytes)', () => {
    if (works(encrypted, 'fedai nip44 encrypt')) return works(encrypted, 'fedai nip44 encrypt');
    const r = fedai(encryptArgs, '');
    return r.status !== 0 || `exit 0, stdout ${show(r.stdout.toString())}`;
  });
}

// ---------------------------------------------------------------- d) through the third-party relay

function startRelay() {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [join(here, 'relay.mjs'), '--port', '0', '--exit-on-stdin-close'],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    const timer = setTimeout(() => { child.kill(); reject(new Error('relay not listening after 20 s')); }, 20_000);
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const m = buffered.match(/^listening (ws:\/\/\S+)$/m);
      if (m) { clearTimeout(timer); resolveStart({ url: m[1], child }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`relay exited with ${code}`)); });
  });
}

const withTimeout = (promise, what) => Promise.race([promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${RELAY_TIMEOUT_MS} ms`)), RELAY_TIMEOUT_MS).unref())]);

async function sectionD(sk, signedInB) {
  const started = opts.relay ? null : await startRelay();
  const url = opts.relay ?? started.url;
  console.log(`d) relay ${url}${started ? ` (relay.mjs PID ${started.child.pid})` : ''}`);
  const pool = new SimplePool();
  try {
    await attempt('d) fedai-signed event: SimplePool publish is accepted and querySync returns it intact', async () => {
      const ev = fedaiSign(sk, 1, 'through a third-party relay ✓ "quoted" \\ \u2028', [['t', 'fedai-interop']], Math.floor(Date.now() / 1000));
      const reasons = await withTimeout(Promise.all(pool.publish([url], ev)), 'publish');
      const back = await withTimeout(pool.querySync([url], { ids: [ev.id] }), 'querySync');
      if (back.length !== 1) return `querySync returned ${back.length} events (publish said ${show(reasons)})`;
      return (canon(back[0]) === canon(ev) && verifyEvent({ ...back[0] })) || `got ${show(back[0], 400)}`;
    });
    await attempt('d) fedai-signed event reaches a live nostr-tools Relay subscription', async () => {
      const relay = await withTimeout(Relay.connect(url), 'Relay.connect');
      try {
        const author = generateSecretKey();
        let eose;
        const subscribed = new Promise((r) => { eose = r; });
        const received = new Promise((resolveEvent) => {
          const sub = relay.subscribe([{ authors: [getPublicKey(author)] }], {
            oneose: () => eose(),
            onevent: (e) => { sub.close(); resolveEvent(e); },
          });
        });
        await withTimeout(subscribed, 'EOSE'); // the relay has registered the subscription
        const ev = fedaiSign(author, 4400, 'live 🚀', [['p', getPublicKey(sk)]], Math.floor(Date.now() / 1000));
        await withTimeout(relay.publish(ev), 'Relay.publish');
        const got = await withTimeout(received, 'live event');
        return (got.id === ev.id && got.sig === ev.sig && verifyEvent({ ...got })) || `got ${show(got, 300)}`;
      } finally {
        relay.close();
      }
    });
    // Regular kinds only: the relay keeps one replaceable event per author and kind, and no ephemeral ones.
    const storable = signedInB.filter((e) => e.kind === 1 || e.kind === 4400);
    if (storable.length > 0) {
      await attempt(`d) ${storable.length} hard-content events signed by fedai in b) round-trip through the relay`, async () => {
        await withTimeout(Promise.all(storable.flatMap((ev) => pool.publish([url], ev))), 'publish hard events');
        const back = await withTimeout(pool.querySync([url], { ids: storable.map((e) => e.id) }), 'querySync');
        const byId = new Map(back.map((e) => [e.id, e]));
        const lost = storable.filter((e) => !byId.has(e.id) || canon(byId.get(e.id)) !== canon(e));
        return lost.length === 0 || `${lost.length} not returned intact, first ${show(lost[0].content)}`;
      });
    }
  } finally {
    pool.destroy();
    if (started) started.child.kill('SIGTERM');
  }
}

// ---------------------------------------------------------------- main

const [cmd, ...pre] = fedaiCommand();
console.log(`interop: fedai = ${[cmd, ...pre].join(' ')}`);
if (!process.env.FEDAI_CMD && !existsSync(opts.jar)) {
  check('fedai jar present', false, `${opts.jar} not found: build it with ./mvnw -DskipTests package`);
} else {
  const sk = generateSecretKey();
  let signedInB = [];
  if (sections.has('a')) await attempt('a) section', async () => { await sectionA(sk); });
  if (sections.has('b')) await attempt('b) section', async () => { signedInB = await sectionB(sk); });
  if (sections.has('c')) await attempt('c) section', async () => { await sectionC(); });
  if (sections.has('d')) await attempt('d) section', async () => { await sectionD(sk, signedInB); });
  if (sections.has('e')) {
    await attempt('e) section', async () => {
      const started = opts.relay ? null : await startRelay();
      try {
        await sectionE({ attempt, check, fedai, fedaiCommand, env, relayUrl: opts.relay ?? started.url });
      } finally {
        if (started) started.child.kill('SIGTERM');
      }
    });
  }
  if (sections.has('f')) {
    await attempt('f) section', async () => {
      const started = opts.relay ? null : await startRelay();
      try {
        await sectionF({ attempt, check, fedaiCommand, env, relayUrl: opts.relay ?? started.url });
      } finally {
        if (started) started.child.kill('SIGTERM');
      }
    });
  }
}
console.log(`interop: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
