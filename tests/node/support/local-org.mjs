// Starts `sfkit serve --port 0 --in-memory --org-def <file>` for the Node conformance suites and
// stops it again (`storage` replaces `--in-memory`: cluster-org.mjs puts nodes on PostgreSQL). The binary comes from SFKIT_BINARY (CTest passes the built one); the port is
// read from the "ready at" line, so suites can run side by side.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');

export function sfkitBinary() {
  const candidates = [process.env.SFKIT_BINARY, path.join(repoRoot, 'build', 'dev', 'sfkit')];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) {
    throw new Error('sfkit binary not found: set SFKIT_BINARY to the built `sfkit` executable');
  }
  return found;
}

/**
 * Starts a local org. Resolves to { url, port, stop(), log() } once it listens.
 * @param {{orgDef: string, args?: string[], storage?: string[], timeoutMs?: number}} options
 */
export function startLocalOrg({ orgDef, args = [], storage = ['--in-memory'], timeoutMs = 20000 }) {
  const binary = sfkitBinary();
  const child = spawn(
    binary,
    ['serve', '--port', '0', ...storage, '--org-def', orgDef, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const onData = (chunk) => {
    output += chunk.toString();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sfkit serve did not get ready within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const check = () => {
      const m = output.match(/ready at (http:\/\/127\.0\.0\.1:(\d+))/);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      const exited = new Promise((r) => child.once('exit', r));
      resolve({
        url: m[1],
        port: Number(m[2]),
        log: () => output,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
          }
          await exited;
        },
      });
    };
    child.stdout.on('data', check);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`sfkit serve exited early (${code ?? signal}):\n${output}`));
    });
  });
}
