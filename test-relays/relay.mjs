#!/usr/bin/env node
// A third-party Nostr relay for fedai's interop tests: CodyTseng's nostr-relay (@nostr-relay/core) with its
// zod validator and SQLite event repository, served over `ws` on 127.0.0.1 only.
//
//   node relay.mjs [--port N] [--db PATH] [--exit-on-stdin-close]
//
// Port: --port, else the first positional argument, else $RELAY_PORT, else 0 (ephemeral).
// DB: --db, else $RELAY_DB, else a file in a fresh temp directory that is deleted on exit.
// When ready it prints exactly one line on stdout: `listening ws://127.0.0.1:PORT` (the real port).
// --exit-on-stdin-close lets a parent (the JUnit fixture) hold the relay's life by a pipe: if the parent dies
// without stopping us, its end of our stdin closes and we exit instead of lingering as an orphan.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import { NostrRelay } from '@nostr-relay/core';
import { LogLevel, createOutgoingNoticeMessage } from '@nostr-relay/common';
import { Validator } from '@nostr-relay/validator';
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite';

const HOST = '127.0.0.1';
// Bigger than any event fedai sends (under 60 KB), so the relay's own validator limits are what a test meets.
const MAX_MESSAGE_BYTES = 1024 * 1024;

const { values, positionals } = parseArgs({
  options: {
    port: { type: 'string' },
    db: { type: 'string' },
    'exit-on-stdin-close': { type: 'boolean', default: false },
  },
  allowPositionals: true,
});

const portText = values.port ?? positionals[0] ?? process.env.RELAY_PORT ?? '0';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`relay: port must be an integer 0..65535, got ${JSON.stringify(portText)}`);
  process.exit(2);
}

let tempDir = null;
let dbPath = values.db ?? process.env.RELAY_DB;
if (!dbPath) {
  tempDir = mkdtempSync(join(tmpdir(), 'fedai-test-relay-'));
  dbPath = join(tempDir, 'events.db');
}

const repository = new EventRepositorySqlite(dbPath);
await repository.init();
const relay = new NostrRelay(repository, { logLevel: LogLevel.WARN });
const validator = new Validator();

const server = new WebSocketServer({ host: HOST, port, maxPayload: MAX_MESSAGE_BYTES });

server.on('connection', (ws, request) => {
  relay.handleConnection(ws, request.socket.remoteAddress);
  ws.on('message', async (data) => {
    let message;
    try {
      message = await validator.validateIncomingMessage(data);
    } catch (error) {
      // The core leaves malformed input to its caller; answer like most relays do instead of dropping it.
      ws.send(JSON.stringify(createOutgoingNoticeMessage(`invalid: ${error.message}`)));
      return;
    }
    try {
      await relay.handleMessage(ws, message);
    } catch (error) {
      console.error(`relay: error handling ${message[0]}: ${error.stack ?? error}`);
      ws.send(JSON.stringify(createOutgoingNoticeMessage(`error: ${error.message}`)));
    }
  });
  ws.on('close', () => relay.handleDisconnect(ws));
  ws.on('error', (error) => console.error(`relay: connection error: ${error.message}`));
});

server.on('error', (error) => {
  console.error(`relay: cannot listen on ${HOST}:${port}: ${error.message}`);
  process.exit(1);
});

server.on('listening', () => {
  console.log(`listening ws://${HOST}:${server.address().port}`);
  console.error(`relay: database ${dbPath}${tempDir ? ' (temporary)' : ''}`);
});

let stopping = false;
async function stop(why) {
  if (stopping) return;
  stopping = true;
  console.error(`relay: stopping (${why})`);
  for (const client of server.clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
  await relay.destroy();
  await repository.destroy();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  process.exit(0);
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
if (values['exit-on-stdin-close']) {
  process.stdin.on('end', () => stop('stdin closed'));
  process.stdin.on('error', () => stop('stdin error'));
  process.stdin.resume();
}
