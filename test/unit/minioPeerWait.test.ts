// The MinIO node's entrypoint wait (model/minioPeerWait.ts), run for real: sh and curl in a mount namespace with a
// private /etc/hosts (the peers' names, as swarm's DNS would publish them), a resolver that answers nothing and a
// private /tmp. While a peer's name does not resolve the script waits and the healthcheck passes on the marker; once
// the name resolves the script execs its command with the marker gone, and the healthcheck is MinIO's probe alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { healthyWhileWaiting, PEER_WAIT_MARKER, waitForPeers } from '../../generator/model/minioPeerWait.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-peer-wait-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Nothing listens on the discard port: MinIO's own probe fails, as it does before MinIO runs. */
const PORT = 9;
const health = healthyWhileWaiting({ test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', '--max-time', '3', `http://127.0.0.1:${PORT}/minio/health/live`], intervalSeconds: 2, timeoutSeconds: 4, retries: 15, startPeriodSeconds: 30 });

function inNamespace(hostsText: string): { stdout: string; stderr: string; status: number | null } {
  const hosts = path.join(scratch, 'hosts');
  const resolv = path.join(scratch, 'resolv.conf');
  writeFileSync(hosts, hostsText);
  writeFileSync(resolv, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  const script = [
    // The scratch files live under /tmp: bound before /tmp is replaced.
    // The scratch files are under /tmp: bound before a private /tmp hides them.
    'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && mount -t tmpfs tmpfs /tmp || exit 90',
    // The entrypoint, as swarm runs it: sh -c SCRIPT minio-start COMMAND…
    `sh -c "$WAIT" minio-start sh -c 'echo "started, marker $(test -e ${PEER_WAIT_MARKER} && echo present || echo gone)"' &`,
    'pid=$!',
    'sleep 1.5',
    'sh -c "$HEALTH"; echo "healthcheck while waiting: $?"',
    'kill -0 "$pid" 2>/dev/null && echo "still waiting"',
    // minio3's task passed its first probe: swarm publishes its name.
    'echo "127.0.0.4 minio3" >> /etc/hosts',
    'wait "$pid"; echo "entrypoint exit $?"',
    'sh -c "$HEALTH"; echo "healthcheck after: $?"',
  ].join('\n');
  const result = spawnSync('unshare', ['--mount', 'sh', '-c', script, 'sh', hosts, resolv], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH, WAIT: waitForPeers(['minio1', 'minio2', 'minio3'], PORT), HEALTH: health.test.slice(3).join(' ') },
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe("a MinIO node's entrypoint waits for its peers' names", () => {
  it('waits while a name does not resolve (healthy on the marker), then execs MinIO without it (healthy on MinIO alone)', () => {
    expect(health.test.slice(0, 3)).toEqual(['CMD', 'sh', '-c']);
    const started = performance.now();
    const result = inNamespace('127.0.0.1 localhost\n127.0.0.2 minio1\n127.0.0.3 minio2\n');
    const seconds = (performance.now() - started) / 1000;
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      'healthcheck while waiting: 0',
      'still waiting',
      'started, marker gone',
      'entrypoint exit 0',
      // curl failed (nothing listens) and the marker is gone: `[ -e ]`'s 1.
      'healthcheck after: 1',
    ]);
    // It polls every 0.5 s: the name was found within a second or two of being published.
    expect(seconds).toBeLessThan(8);
  });
});
