// The hard inputs that fedai and nostr-tools must agree on: NIP-01 id serialization is JSON.stringify's escaping,
// so the cases aim at what JSON encoders disagree on (control characters, U+2028/U+2029, lone surrogates,
// astral characters, backslashes), at what shells and argument parsers mangle (commas, quotes, leading dashes),
// and at the size limits fedai keeps (tag values under 1 KB, events under 60 KB).

import { finalizeEvent, getEventHash, getPublicKey } from 'nostr-tools/pure';

const C0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)); // every control character 0x00-0x1f

/**
 * Contents. `argv: false` marks the ones a command-line argument cannot carry (NUL ends a C string; a lone
 * surrogate has no UTF-8 encoding); they are still checked where the event travels as JSON.
 * `stdin: false` marks the ones that cannot be NIP-44 plaintext as UTF-8 bytes.
 */
export const CONTENTS = [
  { name: 'ascii', text: 'hello fedai' },
  { name: 'empty', text: '' },
  { name: 'unicode', text: 'é ü ß ñ Ω Ж 日本語 한국어 العربية עברית हिन्दी' },
  { name: 'emoji', text: '👩‍🔬🚀 🏳️‍🌈 👍🏽 🇩🇪 😀 \u{1F9EA}\u{10FFFF}' },
  { name: 'quotes-backslashes', text: `"double" 'single' \`tick\` \\ \\\\ \\" \\n \\u0041 /slash/ \\,comma` },
  { name: 'controls-all', text: C0.map((c, i) => `${i}${c}`).join(''), argv: false },
  { name: 'controls-no-nul', text: C0.slice(1).map((c, i) => `${i + 1}${c}`).join('') },
  { name: 'line-separators', text: 'a\u2028b\u2029c\r\nd\n' },
  { name: 'invisible', text: '\u007f\u0080\u00a0\u200b\u200d\ufeff\uffff' },
  { name: 'json-like', text: '{"a":[1,2,{"b":"c\\"d"}],"e":null} </script> <!-- -->' },
  { name: 'markdown-dash-first', text: '- item one\n- item two --flag' },
  { name: 'lone-surrogates', text: 'hi \ud800 there \udfff end', argv: false, stdin: false },
  { name: 'long-multibyte', text: '日本語🚀é'.repeat(3000) }, // 3000 * 15 bytes = 45 KB of UTF-8
];

export const HEX_A = 'a'.repeat(64);
export const HEX_B = '0123456789abcdef'.repeat(4);

/** Tag sets. `cli: false` marks the ones `fedai event sign --tag` is not asked to build (see README). */
export const TAG_SETS = [
  { name: 'none', tags: [] },
  { name: 'basic', tags: [['t', 'fedai'], ['p', HEX_A], ['e', HEX_B, 'wss://relay.example.com', 'reply']] },
  { name: 'commas', tags: [['comma', 'a,b', 'c,,d', ','], ['x', 'trailing,']] },
  { name: 'backslashes', tags: [['backslash', 'a\\b', '\\', 'end\\']] },
  { name: 'quotes-unicode', tags: [['q', '"quoted"', "it's"], ['emoji', '👩‍🔬', '日本語'], ['ctl', '\u0001\u001f\u2028']] },
  { name: 'empty-values', tags: [['empty', ''], ['single']], cli: false },
  { name: 'long', tags: [['l', 'x'.repeat(1024)], ['m', '€'.repeat(341)], ['n', 'ab,'.repeat(300)]] },
  { name: 'many', tags: Array.from({ length: 300 }, (_, i) => ['t', `tag-${i}`]) },
  { name: 'nul-and-surrogates', tags: [['z', '\u0000', 'a\ud800b']], cli: false },
  { name: 'very-many', tags: Array.from({ length: 1500 }, (_, i) => ['e', HEX_B, `${i}`]), cli: false },
];

export const KINDS_AND_TIMES = [
  { kind: 1, createdAt: 1763000000 },
  { kind: 0, createdAt: 0 },
  { kind: 4400, createdAt: 1 },
  { kind: 24400, createdAt: 2 ** 32 },
  { kind: 31400, createdAt: 4102444800 },
  { kind: 65535, createdAt: Number.MAX_SAFE_INTEGER },
];

/** Encodes one tag for `fedai event sign --tag`: values joined by commas; `\` escapes a comma or a backslash. */
export function cliTag(tag) {
  return tag.map((v) => v.replaceAll('\\', '\\\\').replaceAll(',', '\\,')).join(',');
}

/** NIP-44 plaintexts (1..65535 bytes of UTF-8). */
export const PLAINTEXTS = [
  { name: 'one-byte', text: 'a' },
  ...CONTENTS.filter((c) => c.text.length > 0 && c.stdin !== false && Buffer.byteLength(c.text) <= 65535),
  { name: 'max-65535-bytes', text: 'é'.repeat(32767) + 'x' },
  { name: 'padding-boundary-33', text: 'y'.repeat(33) },
];

/** One event per content and one per tag set, signed by nostr-tools with `sk`. */
export function hardEvents(sk) {
  const events = [];
  CONTENTS.forEach((c, i) => {
    const { kind, createdAt } = KINDS_AND_TIMES[i % KINDS_AND_TIMES.length];
    const { name: tagName, tags } = TAG_SETS[i % TAG_SETS.length];
    events.push({ name: `content ${c.name} + tags ${tagName} (kind ${kind})`,
      event: finalizeEvent({ kind, created_at: createdAt, tags, content: c.text }, sk) });
  });
  for (const t of TAG_SETS) {
    events.push({ name: `tags ${t.name}`, event: finalizeEvent({ kind: 1, created_at: 1763000000, tags: t.tags, content: t.name }, sk) });
  }
  return events;
}

/** Events that must fail verification, each made from the first hard events by one change after signing. */
export function tampered(events, otherSk) {
  const [e0, e1] = [events[0].event, events[1].event];
  const flip = (hex, at) => hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);
  const otherPub = getPublicKey(otherSk);
  const stolen = { ...e0, pubkey: otherPub };
  stolen.id = getEventHash(stolen); // a consistent id, but the signature is by someone else
  return [
    { name: 'content changed after signing', expect: 'ID_MISMATCH', event: { ...e0, content: `${e0.content}!` } },
    { name: 'tag value changed after signing', expect: 'ID_MISMATCH', event: { ...e1, tags: [['t', 'evil']] } },
    { name: 'created_at changed after signing', expect: 'ID_MISMATCH', event: { ...e0, created_at: e0.created_at + 1 } },
    { name: 'signature bit flipped', expect: 'BAD_SIGNATURE', event: { ...e0, sig: flip(e0.sig, 10) } },
    { name: 'id of another event', expect: 'ID_MISMATCH', event: { ...e0, id: e1.id } },
    { name: 'pubkey swapped, id recomputed', expect: 'BAD_SIGNATURE', event: stolen },
  ];
}
