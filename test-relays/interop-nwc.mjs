// e) Nostr Wallet Connect (NIP-47) between `fedai wallet serve` and Alby's NWC client (@getalby/sdk), through
// CodyTseng's nostr-relay, and fedai's BOLT #11 invoices decoded by the npm `bolt11` package.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import bolt11 from 'bolt11';

// The SDK bundles its own nostr-tools, which takes the global WebSocket when it loads: Node 20 has none.
globalThis.WebSocket ??= WebSocket;
const { NWCClient } = await import('@getalby/sdk/nwc');

const START_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 20_000;
const FUNDS = 1_000_000;

const sha256 = (hex) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
const within = (promise, what) => Promise.race([promise, new Promise((_, reject) =>
  setTimeout(() => reject(new Error(`${what}: no answer in ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS).unref())]);

/** Starts `fedai wallet serve` and resolves with its URIs (one stdout line per account) and the child. */
function serveWallet(fedaiCommand, env, relayUrl, accounts) {
  const [cmd, ...pre] = fedaiCommand();
  const child = spawn(cmd, [...pre, 'wallet', 'serve', '--relay', relayUrl, '--accounts', String(accounts),
    '--balance-msat', String(FUNDS)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => { child.kill('SIGTERM'); reject(new Error(`no URIs after ${START_TIMEOUT_MS} ms; stderr: ${stderr}`)); },
      START_TIMEOUT_MS);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const uris = out.split('\n').filter((l) => l.startsWith('nostr+walletconnect://'));
      if (uris.length === accounts) { clearTimeout(timer); resolveStart({ uris, child, stderr: () => stderr }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`fedai wallet serve exited with ${code}; stderr: ${stderr}`)); });
  });
}

const stopped = (child) => new Promise((resolveStop) => {
  if (child.exitCode !== null) { resolveStop(child.exitCode); return; }
  child.on('exit', (code, signal) => resolveStop(code ?? signal));
  child.kill('SIGTERM');
});

export async function sectionE({ attempt, check, fedai, fedaiCommand, env, relayUrl }) {
  const wallet = await serveWallet(fedaiCommand, env, relayUrl, 2);
  check('e) fedai wallet serve prints one nostr+walletconnect:// URI per account', wallet.uris.length === 2);
  const [a, b] = wallet.uris.map((uri) => new NWCClient({ nostrWalletConnectUrl: uri }));
  try {
    let nodeId;
    await attempt('e) @getalby/sdk get_info: regtest, the NIP-47 methods, the account\'s node id', async () => {
      const info = await within(a.getInfo(), 'get_info');
      nodeId = info.pubkey;
      const wanted = ['pay_invoice', 'make_invoice', 'lookup_invoice', 'get_balance', 'get_info'];
      return (info.network === 'regtest' && wanted.every((m) => info.methods.includes(m)) && /^0[23][0-9a-f]{64}$/.test(nodeId ?? ''))
        || JSON.stringify(info);
    });
    await attempt('e) @getalby/sdk speaks nip44_v2 with the fedai wallet', async () =>
      a.encryptionType === 'nip44_v2' || `encryption ${a.encryptionType}`);
    await attempt('e) @getalby/sdk get_balance: each account funded', async () => {
      const [ba, bb] = [await within(a.getBalance(), 'get_balance A'), await within(b.getBalance(), 'get_balance B')];
      return (ba.balance === FUNDS && bb.balance === FUNDS) || JSON.stringify([ba, bb]);
    });
    let invoice;
    await attempt('e) @getalby/sdk make_invoice on account A returns a regtest BOLT #11 invoice', async () => {
      invoice = await within(a.makeInvoice({ amount: 21_000, description: 'fedai interop' }), 'make_invoice');
      return (invoice.invoice?.startsWith('lnbcrt') && invoice.amount === 21_000 && /^[0-9a-f]{64}$/.test(invoice.payment_hash))
        || JSON.stringify(invoice);
    });
    await attempt('e) @getalby/sdk pay_invoice from account B: the preimage hashes to the payment hash', async () => {
      if (!invoice) return 'no invoice to pay';
      const paid = await within(b.payInvoice({ invoice: invoice.invoice }), 'pay_invoice');
      return sha256(paid.preimage) === invoice.payment_hash || JSON.stringify(paid);
    });
    await attempt('e) @getalby/sdk lookup_invoice on A shows the invoice settled', async () => {
      if (!invoice) return 'no invoice';
      const tx = await within(a.lookupInvoice({ payment_hash: invoice.payment_hash }), 'lookup_invoice');
      return (tx.state === 'settled' && tx.settled_at > 0 && sha256(tx.preimage) === invoice.payment_hash) || JSON.stringify(tx);
    });
    await attempt('e) balances moved once: A +21000 msat, B -21000 msat', async () => {
      const [ba, bb] = [await within(a.getBalance(), 'get_balance A'), await within(b.getBalance(), 'get_balance B')];
      return (ba.balance === FUNDS + 21_000 && bb.balance === FUNDS - 21_000) || JSON.stringify([ba, bb]);
    });
    await attempt('e) paying the same invoice again is refused by the wallet and moves nothing', async () => {
      if (!invoice) return 'no invoice';
      let refused = false;
      try {
        await within(b.payInvoice({ invoice: invoice.invoice }), 'second pay_invoice');
      } catch (error) {
        refused = error?.code === 'PAYMENT_FAILED';
        if (!refused) return `unexpected error ${error?.code}: ${error?.message}`;
      }
      const bb = await within(b.getBalance(), 'get_balance B');
      return (refused && bb.balance === FUNDS - 21_000) || `refused ${refused}, balance ${bb.balance}`;
    });

    const binding = createHash('sha256').update('fedai:job:interop').digest('hex');
    let made;
    await attempt('e) `fedai wallet invoice` with a description hash, decoded by npm bolt11: amount, hash, payee, description hash', async () => {
      const r = fedai(['wallet', 'invoice', '--nwc', wallet.uris[0], '--amount-msat', '5000', '--description-hash', binding,
        '--timeout', '20']);
      if (r.status !== 0) return `exit ${r.status}: ${r.stderr}`;
      made = r.stdout.toString('utf8').trim();
      const decoded = bolt11.decode(made);
      const tag = (name) => decoded.tags.find((t) => t.tagName === name)?.data;
      const tx = await within(a.lookupInvoice({ invoice: made }), 'lookup_invoice by invoice');
      return (decoded.millisatoshis === '5000' && tag('payment_hash') === tx.payment_hash
        && decoded.payeeNodeKey === nodeId && tag('purpose_commit_hash') === binding && decoded.network?.bech32 === 'bcrt')
        || JSON.stringify({ msat: decoded.millisatoshis, hash: tag('payment_hash'), lookup: tx.payment_hash,
          payee: decoded.payeeNodeKey, nodeId, dh: tag('purpose_commit_hash') });
    });
    await attempt('e) `fedai wallet pay` pays it from B once; a second `fedai wallet pay` is ALREADY_PAID', async () => {
      if (!made) return 'no invoice';
      const first = fedai(['wallet', 'pay', '--nwc', wallet.uris[1], '--invoice', made, '--timeout', '20']);
      const out = JSON.parse(first.stdout.toString('utf8') || '{}');
      if (first.status !== 0 || out.status !== 'paid') return `exit ${first.status}: ${first.stdout} ${first.stderr}`;
      if (sha256(out.preimage) !== out.payment_hash) return 'preimage does not hash to the payment hash';
      const second = fedai(['wallet', 'pay', '--nwc', wallet.uris[1], '--invoice', made, '--timeout', '20']);
      const again = JSON.parse(second.stdout.toString('utf8') || '{}');
      const bb = await within(b.getBalance(), 'get_balance B');
      return (second.status === 1 && again.reason === 'ALREADY_PAID' && bb.balance === FUNDS - 26_000)
        || `second: exit ${second.status} ${second.stdout}; balance ${bb.balance}`;
    });
  } finally {
    a.close();
    b.close();
    const code = await stopped(wallet.child);
    check('e) fedai wallet serve stops cleanly on SIGTERM', code === 0 || code === 143 || code === 'SIGTERM', `exit ${code}`);
  }
}
