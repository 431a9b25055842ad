/**
 * The protocol transcript: a real exchange with the server (initialize → verifyConfig →
 * configSchema → listTargets failing without a cluster → shutdown → exit), recorded in
 * golden/transcript.json and replayed byte for byte against the real server. The JetBrains
 * client replays the same file, so both clients are checked against the same bytes.
 *
 * Re-record after an intended change of the protocol or of the config schema:
 *   UPDATE_GOLDEN=1 pnpm --filter @mirrord-ts/core exec mocha --no-config --node-option import=tsx src/ide/golden.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigSchema, ListTargets, PROTOCOL_VERSION, VerifyConfig } from './protocol.js';
import { AMBIENT_VARIABLES, frame, ServerProcess } from './test-support.js';

const GOLDEN = fileURLToPath(new URL('./golden/transcript.json', import.meta.url));
const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));

/** The file's shape; `client` and `server` hold exact bytes (UTF-8 text, CRLF in headers). */
export interface Transcript {
  readonly about: string;
  /** How to start the server: `mirrord ide-server --stdio` in `cwd` (relative to the golden folder), with `env` set and `unset` removed. */
  readonly server: { readonly cwd: string; readonly env: Record<string, string>; readonly unset: readonly string[] };
  readonly exchange: ReadonlyArray<{ readonly client: string } | { readonly server: string }>;
  readonly exitCode: number;
}

const SERVER_SETUP: Transcript['server'] = {
  cwd: 'workspace',
  env: { KUBECONFIG: '/nonexistent/mirrord-golden/kubeconfig' },
  unset: AMBIENT_VARIABLES.filter((n) => n !== 'KUBECONFIG'),
};

/** The client's side of the exchange; each request is answered before the next message goes. */
const CLIENT_MESSAGES: readonly object[] = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, clientInfo: { name: 'golden-transcript' }, rootUri: null, capabilities: {}, initializationOptions: { protocolVersion: PROTOCOL_VERSION } } },
  { jsonrpc: '2.0', method: 'initialized', params: {} },
  { jsonrpc: '2.0', id: 2, method: VerifyConfig.method, params: { cwd: '.' } },
  { jsonrpc: '2.0', id: 3, method: VerifyConfig.method, params: { cwd: '.', configFile: 'bad/mirrord.json' } },
  { jsonrpc: '2.0', id: 4, method: ConfigSchema.method, params: {} },
  { jsonrpc: '2.0', id: 5, method: ListTargets.method, params: { cwd: '.' } },
  { jsonrpc: '2.0', id: 6, method: 'shutdown', params: null },
  { jsonrpc: '2.0', method: 'exit', params: null },
];

function startServer(): ServerProcess {
  return new ServerProcess({ cwd: `${GOLDEN_DIR}${SERVER_SETUP.cwd}`, env: SERVER_SETUP.env, unset: SERVER_SETUP.unset });
}

async function record(): Promise<Transcript> {
  const server = startServer();
  const exchange: ({ client: string } | { server: string })[] = [];
  try {
    for (const message of CLIENT_MESSAGES) {
      const bytes = frame(message);
      exchange.push({ client: bytes.toString('utf8') });
      server.writeRaw(bytes);
      const id = (message as { id?: number }).id;
      if (id === undefined) continue;
      for (;;) {
        const { message: answer, raw } = await server.readMessage();
        exchange.push({ server: raw.toString('utf8') });
        if (answer.id === id && answer.method === undefined) break;
      }
    }
    const { code } = await server.exited;
    return { about: 'mirrord IDE protocol transcript, recorded from the real server; see golden.test.ts and README.md here.', server: SERVER_SETUP, exchange, exitCode: code ?? -1 };
  } finally {
    await server.kill();
  }
}

describe('ide-server golden transcript', function () {
  this.timeout(60_000);

  if (process.env.UPDATE_GOLDEN === '1') {
    it('re-records golden/transcript.json', async () => {
      const transcript = await record();
      writeFileSync(GOLDEN, `${JSON.stringify(transcript, null, 2)}\n`);
    });
  }

  it('replays byte for byte against the real server', async () => {
    const transcript = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Transcript;
    assert.deepEqual(transcript.server, SERVER_SETUP, 'the golden file was recorded with another server setup');
    const server = new ServerProcess({ cwd: `${GOLDEN_DIR}${transcript.server.cwd}`, env: transcript.server.env, unset: transcript.server.unset });
    try {
      for (const [index, step] of transcript.exchange.entries()) {
        if ('client' in step) {
          server.writeRaw(Buffer.from(step.client, 'utf8'));
        } else {
          const expected = Buffer.from(step.server, 'utf8');
          const actual = await server.readBytes(expected.length);
          if (!actual.equals(expected)) {
            assert.fail(
              `step ${index}: the server's bytes differ from the golden file (re-record with UPDATE_GOLDEN=1 if the change is intended).\nexpected: ${expected.toString('utf8').slice(0, 2000)}\nactual:   ${actual.toString('utf8').slice(0, 2000)}\nstderr: ${server.stderr}`,
            );
          }
        }
      }
      const { code } = await server.exited;
      assert.equal(code, transcript.exitCode);
      assert.equal((await server.readBytes(1, 100)).length, 0, 'the server wrote more than the golden file has');
    } finally {
      await server.kill();
    }
  });

  it('the golden file holds the exchange its name promises', () => {
    const transcript = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Transcript;
    const parse = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { id?: number; method?: string; result?: unknown; error?: { data?: { kind?: string } } };
    const server = transcript.exchange.filter((s): s is { server: string } => 'server' in s).map((s) => parse(s.server));
    const byId = new Map(server.map((m) => [m.id, m]));
    assert.equal((byId.get(2)?.result as VerifyConfig.Result).ok, true);
    assert.equal((byId.get(2)?.result as VerifyConfig.Result).path, '.mirrord/mirrord.json');
    assert.equal((byId.get(3)?.result as VerifyConfig.Result).errors[0]?.key, 'feature.network.incoming.moode');
    assert.equal((byId.get(4)?.result as { title?: string }).title, 'mirrord config');
    assert.equal(byId.get(5)?.error?.data?.kind, 'cluster');
    assert.equal(transcript.exitCode, 0);
  });
});
