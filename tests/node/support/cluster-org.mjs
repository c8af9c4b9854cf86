// One org on PostgreSQL served by several `sfkit serve` nodes behind the round-robin proxy
// (scripts/lb.sh, nginx), for the Node suites' cluster runs (issue 13). The PostgreSQL server is
// SFKIT_TEST_PG (a libpq URI) or the URI in the file SFKIT_TEST_PG_FILE (CTest's fixture
// pg_cluster_start writes one); every startClusterOrg gets a fresh schema of its own on it (as
// tests/support/pg_scratch.hpp does), dropped by stop(). The nodes start together (the first
// creates the schema and loads the org definition under the bootstrap lock, the other joins).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, startLocalOrg } from './local-org.mjs';

const run = promisify(execFile);
const LB = path.join(repoRoot, 'scripts', 'lb.sh');

/** Nodes the suites run on: SFKIT_TEST_CLUSTER_NODES (>= 2), or 0 for one in-memory node. */
export function clusterNodes() {
  const n = Number(process.env.SFKIT_TEST_CLUSTER_NODES ?? 0);
  return Number.isInteger(n) && n >= 2 ? n : 0;
}

/** The PostgreSQL server the cluster runs on (SFKIT_TEST_PG, else SFKIT_TEST_PG_FILE). */
export function pgServer() {
  const uri = process.env.SFKIT_TEST_PG;
  if (uri) return uri;
  const file = process.env.SFKIT_TEST_PG_FILE;
  if (file) {
    const line = readFileSync(file, 'utf8').split('\n')[0].trim();
    if (line) return line;
  }
  throw new Error(
    'a cluster run needs PostgreSQL: set SFKIT_TEST_PG (a libpq URI) or SFKIT_TEST_PG_FILE ' +
      '(ctest -L postgresql starts a throwaway cluster; scripts/pg-cluster.sh)',
  );
}

async function psql(server, sql) {
  await run('psql', [server, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
}

let sequence = 0;

/** The proxy's access log as [{ request, status, node, tried }], one entry per request. */
export function readAccessLog(file) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      // node= lists every node tried ("A, B": A failed, nginx retried on B); the last answered.
      const m = line.match(/"([^"]*)" (\d{3}) \d+ node=(.*) upstream_status=/);
      if (!m) return { request: line };
      const tried = m[3].split(', ');
      return { request: m[1], status: Number(m[2]), node: tried.at(-1), tried };
    });
}

/**
 * Starts `nodes` sfkit nodes on one fresh PostgreSQL schema and the proxy in front of them.
 * Resolves to { url, port, nodes: [{url, port, address}], accessLog(), log(), stop() }: `url` is
 * the proxy's. stop() stops everything, and fails when the proxy sent requests to fewer nodes
 * than there are (the round robin is the point of the run).
 * @param {{orgDef: string, nodes?: number, args?: string[], timeoutMs?: number}} options
 */
export async function startClusterOrg({ orgDef, nodes = 2, args = [], timeoutMs = 90000 }) {
  const server = pgServer();
  const schema = `node${process.pid}_${sequence++}`;
  await psql(server, `DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const target = `${server}${server.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sfkit-cluster-'));
  const started = await Promise.allSettled(
    Array.from({ length: nodes }, (_, i) =>
      startLocalOrg({
        orgDef,
        args,
        timeoutMs,
        storage: ['--database', target, '--data-dir', path.join(dir, `node${i + 1}`)],
      }),
    ),
  );
  const up = started.filter((s) => s.status === 'fulfilled').map((s) => s.value);
  const failed = started.find((s) => s.status === 'rejected');
  const cleanup = async () => {
    await Promise.all(up.map((n) => n.stop()));
    await psql(server, `DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  if (failed) {
    await cleanup();
    throw failed.reason;
  }
  const lbDir = path.join(dir, 'lb');
  let url;
  try {
    ({ stdout: url } = await run('bash', [LB, 'start', lbDir, ...up.map((n) => String(n.port))]));
  } catch (e) {
    await cleanup();
    throw new Error(`the proxy did not start: ${e.stderr ?? e.message}`);
  }
  url = url.trim();
  const accessLogFile = path.join(lbDir, 'access.log');
  return {
    url,
    port: Number(new URL(url).port),
    nodes: up.map((n) => ({ url: n.url, port: n.port, address: `127.0.0.1:${n.port}` })),
    accessLog: () => readAccessLog(accessLogFile),
    log: () => up.map((n, i) => `--- node ${i + 1} (${n.url})\n${n.log()}`).join('\n'),
    async stop() {
      const served = new Set(readAccessLog(accessLogFile).map((e) => e.node).filter(Boolean));
      await run('bash', [LB, 'stop', lbDir]).catch(() => {});
      await cleanup();
      const idle = up.filter((n) => !served.has(`127.0.0.1:${n.port}`));
      if (idle.length > 0) {
        throw new Error(
          `the proxy never sent a request to ${idle.map((n) => n.url).join(', ')}: ` +
            'the run did not alternate nodes',
        );
      }
    },
  };
}
