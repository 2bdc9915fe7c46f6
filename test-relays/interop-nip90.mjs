// f) NIP-90 (Data Vending Machines) through CodyTseng's nostr-relay: `fedai router --nip90` (its gateway), a
// `fedai node` with the embedded MiniLM runner and one with `--runner openai`, both paid over NWC by
// `fedai wallet serve`; the customer is written with nostr-tools only (finalizeEvent, SimplePool, nip04, nip44),
// pays each payment-required invoice with @getalby/sdk's NWCClient, and decodes the invoices with npm bolt11.
// event-kinds/nip90.md is the contract; src/main/java/org/fedai/protocol/nip90 and roles/nip90 the code.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import bolt11 from 'bolt11';
import { finalizeEvent, generateSecretKey, getPublicKey, verifyEvent } from 'nostr-tools/pure';
import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import * as nip19 from 'nostr-tools/nip19';
import { SimplePool, useWebSocketImplementation } from 'nostr-tools/pool';

// The SDK bundles its own nostr-tools, which takes the global WebSocket when it loads: Node 20 has none.
globalThis.WebSocket ??= WebSocket;
const { NWCClient } = await import('@getalby/sdk/nwc');
useWebSocketImplementation(WebSocket);

const START_TIMEOUT_MS = 90_000; // one JVM start on a loaded 2-core machine (the node also loads MiniLM)
const ANSWER_TIMEOUT_MS = 60_000; // each awaited answer, counted from when the test starts waiting for it
const CALL_TIMEOUT_MS = 30_000; // one NWC call or relay round trip
const STOP_TIMEOUT_MS = 15_000;
const FUNDS = 1_000_000;
const STAND_IN_MODEL = 'interop-stand-in';
const MINILM_DIMENSIONS = 384;

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const show = (s, max = 200) => {
  const j = JSON.stringify(s) ?? String(s);
  return j.length > max ? `${j.slice(0, max)}...(${j.length} chars)` : j;
};
const within = (promise, ms, what) => {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
    timer.unref();
  })]).finally(() => clearTimeout(timer));
};
const tag = (event, name) => event.tags.find((t) => t[0] === name);
const tagValue = (event, name) => tag(event, name)?.[1];
const statusOf = (event) => tagValue(event, 'status');
const now = () => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------- child processes

/**
 * A fedai command as a child process: its output collected, `line(regex)` waits (with a deadline) for a line on
 * stdout (or stderr), and an early exit fails every wait at once with the process's stderr.
 */
function startFedai(name, fedaiCommand, env, args, children) {
  const [cmd, ...pre] = fedaiCommand();
  const child = spawn(cmd, [...pre, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { name, child, stdout: '', stderr: '', exited: null, listeners: new Set() };
  children.push(proc);
  console.log(`f) started ${name}: PID ${child.pid}`);
  const notify = () => proc.listeners.forEach((l) => l());
  child.stdout.on('data', (chunk) => { proc.stdout += chunk; notify(); });
  child.stderr.on('data', (chunk) => { proc.stderr += chunk; notify(); });
  child.on('exit', (code, signal) => { proc.exited = code ?? signal; notify(); });
  child.on('error', (error) => { proc.exited = `spawn error ${error.message}`; notify(); });
  proc.line = (regex, ms = START_TIMEOUT_MS, stream = 'stdout') => {
    let look;
    return within(new Promise((resolveLine, reject) => {
      look = () => {
        const m = proc[stream].match(regex);
        if (m) { proc.listeners.delete(look); resolveLine(m); return; }
        if (proc.exited !== null) {
          proc.listeners.delete(look);
          reject(new Error(`${name} exited (${proc.exited}) before printing ${regex}; stderr: ${proc.stderr.slice(-1500)}`));
        }
      };
      proc.listeners.add(look);
      look();
    }), ms, `${name}: ${stream} line ${regex}`).finally(() => proc.listeners.delete(look));
  };
  return proc;
}

/** SIGTERM to the child's own PID, SIGKILL to it if it has not exited within STOP_TIMEOUT_MS. */
async function stop(proc) {
  if (proc.exited !== null || proc.child.exitCode !== null) return proc.exited;
  const exited = new Promise((r) => proc.child.once('exit', (code, signal) => r(code ?? signal)));
  process.kill(proc.child.pid, 'SIGTERM');
  try {
    return await within(exited, STOP_TIMEOUT_MS, `${proc.name} stopping`);
  } catch {
    console.log(`f) ${proc.name} (PID ${proc.child.pid}) ignored SIGTERM for ${STOP_TIMEOUT_MS} ms: SIGKILL`);
    try { process.kill(proc.child.pid, 'SIGKILL'); } catch { /* already gone */ }
    return within(exited, STOP_TIMEOUT_MS, `${proc.name} SIGKILL`).catch(() => 'unknown');
  }
}

// ---------------------------------------------------------------- the OpenAI-compatible stand-in

/**
 * A contract stand-in for an external LLM server (llama.cpp, vLLM, a hosted API): what OpenAiRunner.java sends and
 * reads, no model behind it. POST /v1/chat/completions with "stream": true is answered with server-sent events of
 * choices[0].delta.content, a finish_reason, a usage chunk (stream_options.include_usage), then `data: [DONE]`.
 */
function startStandIn() {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      let parsed;
      try { parsed = JSON.parse(body); } catch { parsed = null; }
      requests.push(parsed);
      const prompt = parsed?.messages?.at(-1)?.content ?? '';
      const reply = standInReply(prompt);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (data) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
      const base = { id: 'chatcmpl-interop', object: 'chat.completion.chunk', model: parsed?.model };
      send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
      for (const piece of reply.match(/.{1,7}/gs)) {
        send({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
      }
      send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      send({ ...base, choices: [], usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 } });
      send('[DONE]');
      res.end();
    });
  });
  return new Promise((resolveStart, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveStart({ server, requests, port: server.address().port }));
  });
}
const standInReply = (prompt) => `stand-in reply to "${prompt}" ✓`;

// ---------------------------------------------------------------- what the customer sees on the relay

/** Every event the customer's subscriptions deliver, in arrival order, with condition waits over them. */
class Inbox {
  constructor() {
    this.events = [];
    this.ids = new Set();
    this.waiters = new Set();
    this.listeners = [];
  }

  add(event) {
    if (this.ids.has(event.id)) return;
    this.ids.add(event.id);
    this.events.push(event);
    for (const l of this.listeners) l(event);
    for (const w of [...this.waiters]) w();
  }

  /** Feedback and results answering `requestId`, in arrival order. */
  answers(requestId) {
    return this.events.filter((e) => (e.kind === 7000 || (e.kind >= 6000 && e.kind <= 6999)) && tagValue(e, 'e') === requestId);
  }

  feedback(requestId) {
    return this.answers(requestId).filter((e) => e.kind === 7000);
  }

  result(requestId) {
    return this.answers(requestId).find((e) => e.kind !== 7000);
  }

  /** Resolves with `probe()`'s first truthy value, re-evaluated on each event; rejects after `ms`. */
  until(probe, ms, what) {
    let look;
    return within(new Promise((resolveWait, reject) => {
      look = () => {
        let value;
        try { value = probe(); } catch (error) { this.waiters.delete(look); reject(error); return; }
        if (value) { this.waiters.delete(look); resolveWait(value); }
      };
      this.waiters.add(look);
      look();
    }), ms, what).finally(() => this.waiters.delete(look));
  }
}

// ---------------------------------------------------------------- the section

export async function sectionF({ attempt, check, fedaiCommand, env, relayUrl }) {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'fedai-interop-nip90-'));
  const children = [];
  const pool = new SimplePool();
  const subs = [];
  const clients = [];
  let standIn = null;
  let failures = 0;
  const counted = (name, ok, detail) => { if (!ok) failures++; return check(name, ok, detail); };
  const countedAttempt = async (name, body) => attempt(name, async () => {
    try {
      const result = await body();
      if (result !== undefined && result !== true) failures++;
      return result;
    } catch (error) {
      failures++;
      throw error;
    }
  });
  try {
    await run({ attempt: countedAttempt, check: counted, fedaiCommand, env, relayUrl, dir, children, pool, subs,
      clients, setStandIn: (s) => { standIn = s; } });
  } catch (error) {
    failures++;
    throw error;
  } finally {
    if (failures > 0 || process.env.FEDAI_INTEROP_VERBOSE) {
      for (const proc of children) {
        const tail = proc.stderr.trimEnd().split('\n').slice(-25).join('\n    ');
        console.log(`f) ${proc.name} (PID ${proc.child.pid}) stderr, last lines:\n    ${tail}`);
      }
    }
    subs.forEach((s) => s.close());
    clients.forEach((c) => c.close());
    for (const proc of children.reverse()) {
      const already = proc.exited;
      const code = await stop(proc);
      console.log(`f) stopped ${proc.name} (PID ${proc.child.pid}): ${code}`);
      if (already === null) {
        check(`f) ${proc.name} stops on SIGTERM`, code === 0 || code === 143 || code === 'SIGTERM', `exit ${code}`);
      }
    }
    pool.destroy();
    if (standIn) await new Promise((r) => { standIn.server.closeAllConnections?.(); standIn.server.close(r); });
    rmSync(dir, { recursive: true, force: true });
    console.log(`f) section took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function run({ attempt, check, fedaiCommand, env, relayUrl, dir, children, pool, subs, clients, setStandIn }) {
  const routerSk = generateSecretKey();
  const nodeSk = generateSecretKey();
  const chatNodeSk = generateSecretKey();
  const customerSk = generateSecretKey();
  const [routerPub, nodePub, chatNodePub, customerPub] = [routerSk, nodeSk, chatNodeSk, customerSk].map(getPublicKey);
  const inbox = new Inbox();

  // The customer's subscriptions first (EOSE: registered), so that every answer arrives live, in publication order.
  const eose = (filter) => new Promise((resolveEose) => {
    subs.push(pool.subscribe([relayUrl], filter, { onevent: (e) => inbox.add(e), oneose: resolveEose }));
  });
  await within(Promise.all([
    eose({ kinds: [7000, 6050, 6700, 6701], '#p': [customerPub], since: now() - 60 }),
    eose({ kinds: [31990, 31400], authors: [nodePub, chatNodePub] }),
  ]), CALL_TIMEOUT_MS, 'customer subscriptions EOSE');

  // 1. processes: wallet, router with its gateway, the stand-in LLM server; then the two nodes
  const standIn = await startStandIn();
  setStandIn(standIn);
  console.log(`f) OpenAI-compatible stand-in on http://127.0.0.1:${standIn.port}/v1`);
  // The router measures this machine before it starts (admission, in CPU time, so load does not refuse it). It goes
  // first, alone, so that its figures are the machine's and not the other JVMs' start-up.
  const routerArgs = ['router', '--relay', relayUrl, '--nip90', '--nip90-db', join(dir, 'nip90.db'),
    '--nip90-model', `5050=${STAND_IN_MODEL}`, '--db', join(dir, 'router.db'), '--wallet-db', join(dir, 'router-wallet.db'),
    '--key', hex(routerSk), '--bench-seconds', '2'];
  const router = startFedai('fedai router --nip90', fedaiCommand, env, routerArgs, children);
  const admission = await router.line(/^router (admitted|refused to start).*$/m, START_TIMEOUT_MS, 'stderr');
  if (admission[1] !== 'admitted') {
    throw new Error(`${admission[0]} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  }
  const wallet = startFedai('fedai wallet serve', fedaiCommand, env, ['wallet', 'serve', '--relay', relayUrl,
    '--accounts', '3', '--balance-msat', String(FUNDS)], children);
  const [uris, gatewayLine, routerLine] = await Promise.all([
    wallet.line(/(?:^nostr\+walletconnect:\/\/\S+\n){3}/m).then((m) => m[0].trim().split('\n')),
    router.line(/^nip90 gateway (npub1[0-9a-z]+) \(hex ([0-9a-f]{64})\)$/m),
    router.line(/^nip90 gateway .*\n(npub1[0-9a-z]+)$/m),
  ]);
  const [nodeUri, customerUri, chatNodeUri] = uris;
  const gatewayPub = gatewayLine[2];
  check('f) fedai router --nip90 prints the gateway npub and hex (they agree), then the router npub',
    nip19.decode(gatewayLine[1]).data === gatewayPub && nip19.decode(routerLine[1]).data === routerPub
      && gatewayPub !== routerPub, show([gatewayLine[0], routerLine[1], routerPub]));

  const node = startFedai('fedai node (embedded MiniLM)', fedaiCommand, env, ['node', '--relay', relayUrl,
    '--nwc', nodeUri, '--router', routerPub, '--db', join(dir, 'node.db'), '--key', hex(nodeSk)], children);
  const chatNode = startFedai('fedai node --runner openai', fedaiCommand, env, ['node', '--relay', relayUrl,
    '--nwc', chatNodeUri, '--router', routerPub, '--db', join(dir, 'chat-node.db'), '--key', hex(chatNodeSk),
    '--runner', 'openai', '--base-url', `http://127.0.0.1:${standIn.port}/v1`, '--model', STAND_IN_MODEL], children);

  const customer = new NWCClient({ nostrWalletConnectUrl: customerUri });
  clients.push(customer);

  // The handler events: the node announces the NIP-90 kinds its models serve, beside its 31400 manifest.
  const latest = (kind, author) => inbox.events.filter((e) => e.kind === kind && e.pubkey === author)
    .sort((a, b) => b.created_at - a.created_at)[0];
  const handlerOf = (author, kinds) => () => {
    const h = latest(31990, author);
    return h && kinds.every((k) => h.tags.some((t) => t[0] === 'k' && t[1] === String(k))) && latest(31400, author) ? h : null;
  };
  const exited = (proc) => () => (proc.exited !== null
    ? { failed: `${proc.name} exited (${proc.exited}); stderr: ${proc.stderr.slice(-1500)}` } : null);
  const firstOf = (...probes) => () => probes.map((p) => p()).find(Boolean);
  const readyOrDead = async (proc, author, kinds) => {
    const got = await inbox.until(firstOf(handlerOf(author, kinds), exited(proc), exited(router)), START_TIMEOUT_MS,
      `${proc.name}: its 31990 handler with k ${kinds} on the relay`);
    if (got.failed) throw new Error(got.failed);
    return got;
  };
  const [handler, chatHandler] = await Promise.all([readyOrDead(node, nodePub, [5700, 5701]),
    readyOrDead(chatNode, chatNodePub, [5050])]);
  const lightningKey = {};
  for (const [author, h] of [[nodePub, handler], [chatNodePub, chatHandler]]) {
    await attempt(`f) ${author === nodePub ? 'embedded' : 'openai'} node: 31990 NIP-89 handler (d = node id, k tags, content names the node) and 31400 manifest with a Lightning key`, () => {
      const content = JSON.parse(h.content);
      const manifest = JSON.parse(latest(31400, author).content);
      lightningKey[author] = manifest.payment?.lightning_pubkey;
      const kinds = h.tags.filter((t) => t[0] === 'k').map((t) => t[1]).sort();
      const want = author === nodePub ? ['5700', '5701'] : ['5050'];
      const ok = verifyEvent(h) && JSON.stringify(kinds) === JSON.stringify(want) && content.fedai?.node === author
        && tagValue(h, 'd') === tagValue(latest(31400, author), 'd')
        && /^0[23][0-9a-f]{64}$/.test(lightningKey[author] ?? '')
        && kinds.every((k) => content.pricing?.[k]?.msat_per_unit > 0);
      return ok || `handler ${show(h, 600)}; lightning ${lightningKey[author]}`;
    });
  }
  await attempt('f) the gateway\'s own 31990: d fedai-gateway, k 5050/5700/5701, fedai.router = the router', async () => {
    const got = await within(pool.querySync([relayUrl], { kinds: [31990], authors: [gatewayPub] }), CALL_TIMEOUT_MS,
      'gateway 31990');
    const h = got.find((e) => tagValue(e, 'd') === 'fedai-gateway');
    if (!h) return `no gateway handler among ${got.length} events`;
    const kinds = h.tags.filter((t) => t[0] === 'k').map((t) => t[1]).sort();
    return (JSON.stringify(kinds) === '["5050","5700","5701"]' && JSON.parse(h.content).fedai?.router === routerPub)
      || show(h, 500);
  });

  let startBalance;
  await attempt('f) customer wallet (NWCClient get_balance) funded', async () => {
    startBalance = (await within(customer.getBalance(), CALL_TIMEOUT_MS, 'get_balance')).balance;
    return startBalance === FUNDS || `balance ${startBalance}`;
  });

  // 3. The customer pays each payment-required invoice of a request it means to pay, one payment at a time.
  const toPay = new Set();
  const paid = new Map(); // request id -> { bolt11, amount, preimage } | { error }
  let payments = Promise.resolve();
  inbox.listeners.push((e) => {
    if (e.kind !== 7000 || statusOf(e) !== 'payment-required') return;
    const requestId = tagValue(e, 'e');
    const amount = tag(e, 'amount');
    if (!toPay.has(requestId) || paid.has(requestId) || !amount?.[2]) return;
    paid.set(requestId, { pending: true });
    payments = payments.then(async () => {
      try {
        const r = await within(customer.payInvoice({ invoice: amount[2] }), CALL_TIMEOUT_MS, 'pay_invoice');
        paid.set(requestId, { bolt11: amount[2], amount: Number(amount[1]), preimage: r.preimage });
      } catch (error) {
        paid.set(requestId, { error: `${error?.code ?? ''} ${error?.message ?? error}` });
      }
      inbox.waiters.forEach((w) => w());
    });
  });

  // 2. the requests, signed with nostr-tools alone
  const post = async (name, kind, tags, content = '', pay = true) => {
    const event = finalizeEvent({ kind, created_at: now(), tags, content }, customerSk);
    if (pay) toPay.add(event.id);
    const reasons = await within(Promise.all(pool.publish([relayUrl], event)), CALL_TIMEOUT_MS, `publish ${name}`);
    console.log(`f) posted ${name}: ${event.id} (${show(reasons, 80)})`);
    return { name, kind, event };
  };
  const sealed = (scheme, privateTags) => (scheme === 'nip44'
    ? nip44.v2.encrypt(JSON.stringify(privateTags), nip44.v2.utils.getConversationKey(customerSk, gatewayPub))
    : nip04.encrypt(customerSk, gatewayPub, JSON.stringify(privateTags)));
  const open = (scheme, payload, from) => (scheme === 'nip44'
    ? nip44.v2.decrypt(payload, nip44.v2.utils.getConversationKey(customerSk, from))
    : nip04.decrypt(customerSk, from, payload));

  const chunkText = 'Relays carry every message of the market. Nodes run behind NAT because they only connect out. '.repeat(4);
  const chatPrompt = 'Say hello to a Data Vending Machine';
  const requests = [
    await post('5700 plain', 5700, [['i', 'a cat sits on the mat', 'text'], ['i', 'Lightning pays for compute', 'text']]),
    await post('5701 chunking', 5701, [['i', chunkText, 'text'], ['param', 'max_tokens', '24'], ['param', 'overlap', '4'],
      ['bid', '100000']]),
    await post('5700 NIP-44 encrypted', 5700, [['p', gatewayPub], ['encrypted']],
      sealed('nip44', [['i', 'sealed to the gateway with NIP-44', 'text'], ['bid', '100000']])),
    await post('5700 NIP-04 encrypted', 5700, [['p', gatewayPub], ['encrypted']],
      sealed('nip04', [['i', 'sealed the old way, NIP-04', 'text']])),
    await post('5050 text generation', 5050, [['i', chatPrompt, 'text'], ['param', 'max_tokens', '32']]),
  ];
  const underbid = await post('5700 underbid', 5700, [['i', 'ten msat, please', 'text'], ['bid', '10']], '', false);
  const malformed = await post('5700 malformed', 5700, [['i', 'by carrier pigeon', 'pigeon']], '', false);
  requests.forEach((r) => { r.scheme = r.event.tags.some((t) => t[0] === 'encrypted') ? (r.event.content.includes('?iv=') ? 'nip04' : 'nip44') : null; });

  // 4. each valid request: payment-required, paid, result, success
  const answered = {};
  for (const r of requests) {
    await attempt(`f) ${r.name}: payment-required feedback with the node's invoice, paid with NWCClient pay_invoice`, async () => {
      const got = await inbox.until(() => {
        const error = inbox.feedback(r.event.id).find((e) => statusOf(e) === 'error');
        if (error) return { failed: `error feedback: ${show(tag(error, 'status'), 400)}` };
        const p = paid.get(r.event.id);
        return p && !p.pending ? p : null;
      }, ANSWER_TIMEOUT_MS, `${r.name}: payment-required and its payment`);
      if (got.failed || got.error) return got.failed ?? `pay_invoice failed: ${got.error}`;
      return /^[0-9a-f]{64}$/.test(got.preimage ?? '') || show(got);
    });
    if (!paid.get(r.event.id)?.preimage) continue;
    await attempt(`f) ${r.name}: a ${r.kind + 1000} result and a success feedback`, async () => {
      answered[r.name] = await inbox.until(() => {
        const error = inbox.feedback(r.event.id).find((e) => statusOf(e) === 'error');
        if (error) return { failed: `error feedback: ${show(tag(error, 'status'), 400)}` };
        const result = inbox.result(r.event.id);
        return result && inbox.feedback(r.event.id).some((e) => statusOf(e) === 'success') ? { result } : null;
      }, ANSWER_TIMEOUT_MS, `${r.name}: result and success`);
      return answered[r.name].failed ?? true;
    });
    const result = answered[r.name]?.result;
    if (!result) continue;
    await attempt(`f) ${r.name}: result kind ${r.kind + 1000} by the gateway; request tag = the request; e, p, amount`, () => {
      const asked = JSON.parse(tagValue(result, 'request') ?? 'null');
      const same = asked && ['id', 'pubkey', 'created_at', 'kind', 'content', 'sig'].every((f) => asked[f] === r.event[f])
        && JSON.stringify(asked.tags) === JSON.stringify(r.event.tags) && verifyEvent(asked);
      const amount = tag(result, 'amount');
      const p = paid.get(r.event.id);
      return (result.kind === r.kind + 1000 && result.pubkey === gatewayPub && verifyEvent(result) && same
        && tagValue(result, 'e') === r.event.id && tagValue(result, 'p') === customerPub
        && amount && Number(amount[1]) === p.amount)
        || `result ${show({ kind: result.kind, pubkey: result.pubkey, tags: result.tags }, 600)}; paid ${show(p)}`;
    });
    await attempt(`f) ${r.name}: feedback processing -> payment-required -> success, in that order`, () => {
      const statuses = inbox.feedback(r.event.id).map(statusOf);
      const order = ['processing', 'payment-required', 'success'].map((s) => statuses.indexOf(s));
      return (order.every((i) => i >= 0) && order[0] < order[1] && order[1] < order[2] && !statuses.includes('error'))
        || `statuses ${statuses.join(' > ')}`;
    });
    await attempt(`f) ${r.name}: payment-required bolt11 (npm bolt11): payee = the node's 31400 lightning_pubkey, amount = the amount tag`, () => {
      const fb = inbox.feedback(r.event.id).find((e) => statusOf(e) === 'payment-required');
      const amount = tag(fb, 'amount');
      const decoded = bolt11.decode(amount[2]);
      const servedBy = r.kind === 5050 ? chatNodePub : nodePub;
      return (decoded.payeeNodeKey === lightningKey[servedBy] && decoded.millisatoshis === amount[1]
        && decoded.network?.bech32 === 'bcrt')
        || show({ payee: decoded.payeeNodeKey, want: lightningKey[servedBy], msat: decoded.millisatoshis, tag: amount[1] }, 400);
    });
    await attempt(`f) ${r.name}: content`, () => {
      let text = result.content;
      if (r.scheme) {
        const prefixOk = r.scheme === 'nip04' ? text.includes('?iv=') : !text.includes('?iv=');
        if (!tag(result, 'encrypted')) return 'no ["encrypted"] tag on the result of an encrypted request';
        if (!prefixOk) return `result not sealed with ${r.scheme}: ${show(text, 80)}`;
        if (result.tags.some((t) => t[0] === 'i')) return 'the result of an encrypted request shows its inputs in i tags';
        text = open(r.scheme, text, gatewayPub);
      } else if (tag(result, 'encrypted')) {
        return 'a plain request answered ["encrypted"]';
      }
      if (r.kind === 5050) {
        return (text === standInReply(chatPrompt) && standIn.requests.some((q) => q?.model === STAND_IN_MODEL
          && q.stream === true && q.messages?.at(-1)?.content === chatPrompt)) || `got ${show(text)}; stand-in saw ${show(standIn.requests, 300)}`;
      }
      const json = JSON.parse(text);
      if (r.kind === 5701) {
        // one text in: a JSON array of its chunks, overlapping, from its start to its end
        return (Array.isArray(json) && json.length > 1 && json.every((c) => typeof c === 'string' && c.length > 0)
          && chunkText.startsWith(json[0]) && chunkText.trimEnd().endsWith(json.at(-1).trimEnd())) || `chunks ${show(json, 300)}`;
      }
      const texts = r.scheme ? 1 : 2;
      return (Array.isArray(json) && json.length === texts && json.every((v) => Array.isArray(v)
        && v.length === MINILM_DIMENSIONS && v.every((x) => typeof x === 'number' && Number.isFinite(x))))
        || `vectors ${show(json, 200)}`;
    });
  }

  // the refusals
  await attempt('f) 5700 underbid (bid 10 msat): 7000 error bid_below_price with amount = the price, nothing to pay', async () => {
    const error = await inbox.until(() => inbox.feedback(underbid.event.id).find((e) => statusOf(e) === 'error'),
      ANSWER_TIMEOUT_MS, 'underbid error');
    const info = tag(error, 'status')[2] ?? '';
    const amount = Number(tagValue(error, 'amount'));
    return (info.startsWith('bid_below_price') && amount > 10 && tagValue(error, 'p') === customerPub
      && error.pubkey === gatewayPub) || show(error.tags, 400);
  });
  await attempt('f) 5700 malformed (input type pigeon): 7000 error starting with malformed', async () => {
    const error = await inbox.until(() => inbox.feedback(malformed.event.id).find((e) => statusOf(e) === 'error'),
      ANSWER_TIMEOUT_MS, 'malformed error');
    const info = tag(error, 'status')[2] ?? '';
    return (info.startsWith('malformed') && info.includes('pigeon') && error.pubkey === gatewayPub) || show(error.tags, 400);
  });
  await attempt('f) the underbid and the malformed request got no payment-required and no result', () => {
    const wrong = [underbid, malformed].flatMap((r) => inbox.answers(r.event.id)
      .filter((e) => e.kind !== 7000 || statusOf(e) !== 'error').map((e) => `${r.name}: ${e.kind} ${statusOf(e) ?? ''}`));
    return wrong.length === 0 || wrong.join('; ');
  });

  // money: the customer paid exactly the invoices, and nothing else
  await attempt('f) customer balance (get_balance) dropped by exactly the sum of the invoices paid', async () => {
    await within(payments, CALL_TIMEOUT_MS, 'payments in flight');
    const spent = [...paid.values()].filter((p) => p.preimage).reduce((sum, p) => sum + p.amount, 0);
    const balance = (await within(customer.getBalance(), CALL_TIMEOUT_MS, 'get_balance')).balance;
    return (spent > 0 && paid.size === requests.length && balance === startBalance - spent)
      || `start ${startBalance}, now ${balance}, invoices paid ${spent} (${paid.size} of ${requests.length})`;
  });
}
