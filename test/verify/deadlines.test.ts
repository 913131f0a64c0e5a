// Real clients (npm etcd3, minio, fetch) against a black hole: a TCP server that accepts and never answers, the way a
// host with a dead process behind a live proxy looks. Every row must fail within the budget: never a hang.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerRunner } from '../../generator/docker/runner.ts';
import { runVerify } from '../../generator/verify/verify.ts';
import { frozenModel } from './support.ts';

let server: net.Server;
let port = 0;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

/** docker that never returns: the runner's own timeout is what ends it, as generator/docker/cli.ts does. */
const hangingDocker: DockerRunner = (args, options = {}) =>
  new Promise((resolve) => setTimeout(() => resolve({ code: -1, stdout: '', stderr: 'killed', timedOut: true, elapsedMs: options.timeoutMs ?? 0 }), options.timeoutMs ?? 0));

describe('verify against endpoints that never answer', () => {
  it('reports every check as failed within its budget', async () => {
    const model = frozenModel('local');
    const endpoint = { host: '127.0.0.1', port };
    const started = performance.now();
    const report = await runVerify({
      model,
      endpoints: { etcd: endpoint, s3: endpoint, console: endpoint },
      credentials: { accessKey: 'user', secretKey: 'a-secret-value' },
      runner: hangingDocker,
      budgetMs: 3_000,
    });
    const elapsed = performance.now() - started;
    const rows = JSON.stringify(report.rows, null, 1);
    // The budget plus slack for a loaded machine; a hang would be etcd3's or fetch's own defaults (minutes).
    expect(elapsed, rows).toBeLessThan(3_000 + 4_000);
    expect(report.summary.status, rows).toBe('fail');
    expect(report.rows.filter((row) => row.status !== 'fail'), rows).toEqual([]);
    const reason = (id: string) => report.rows.find((row) => row.id === id)?.reason;
    expect(reason('etcd-proxy:put-get'), rows).toMatch(/etcd lease grant through 127\.0\.0\.1:\d+: no answer within/);
    expect(reason('etcd-members:endpoint-status'), rows).toMatch(/did not finish within/);
    expect(reason('etcd-members:backend-size'), rows).toBe('not read: no member answered endpoint status (see its row)');
    expect(reason('minio:cluster-health'), rows).toMatch(/no answer within/);
    expect(reason('minio:console'), rows).toMatch(/no answer within/);
    expect(reason('minio:bucket:milvus-bucket'), rows).toMatch(/no answer within/);
    expect(report.rows.map((row) => row.reason).join('\n')).not.toContain('a-secret-value');
    expect(new Set(report.rows.map((row) => row.id)).size, 'row ids are unique').toBe(report.rows.length);
  });

  it('reports a refused connection at once, without waiting for the deadline', async () => {
    const model = frozenModel('local');
    // A port nobody listens on (fetch refuses port 1 as a "bad port" before connecting).
    const spare = net.createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const closed = { host: '127.0.0.1', port: (spare.address() as net.AddressInfo).port };
    await new Promise((resolve) => spare.close(resolve));
    const started = performance.now();
    const report = await runVerify({ model, endpoints: { etcd: closed, s3: closed, console: closed }, credentials: undefined, runner: hangingDocker, budgetMs: 3_000 });
    const health = report.rows.find((row) => row.id === 'minio:cluster-health')!;
    expect(health).toMatchObject({ status: 'fail', reason: expect.stringMatching(/connection refused/) });
    expect(health.elapsedMs).toBeLessThan(1_000);
    expect(report.rows.find((row) => row.id === 'minio:credentials')?.reason).toMatch(/^MINIO_VERIFY_USER and MINIO_VERIFY_PASSWORD \(verify's own MinIO user\) are not set/);
    // Each row that reached for a published port says which service serves it and how to point verify elsewhere;
    // etcd's gRPC status text is reduced to the socket error.
    const reason = (id: string) => report.rows.find((row) => row.id === id)?.reason;
    const where = `127\\.0\\.0\\.1:${closed.port}`;
    expect(reason('etcd-proxy:put-get')).toMatch(new RegExp(`^etcd lease grant through ${where}: connection refused — check milvus_etcd-proxy and its published port \\(docker service ps milvus_etcd-proxy\\), or point verify at it with --etcd-endpoint HOST:PORT$`));
    expect(health.reason).toMatch(new RegExp(`^GET http://${where}/minio/health/cluster: connection refused — check milvus_minio-proxy .* --s3-endpoint HOST:PORT$`));
    expect(reason('minio:console')).toMatch(/connection refused — check milvus_minio-proxy .* --console-endpoint HOST:PORT$/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
