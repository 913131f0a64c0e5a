// deploy's wait for MinIO to serve (deploy/minioServing.ts) against a real MinIO process: S3's cluster health and
// the console, polled until both answer or the time is up.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntilMinioServes } from '../../generator/deploy/operations/minioReadiness.ts';
import { freePort, removeScratch, scratchDir, startMinio, type LocalMinio } from '../processes/support/processes.ts';

let directory: string;
let minio: LocalMinio;

beforeAll(async () => {
  directory = scratchDir('serving');
  minio = await startMinio(directory, { console: true });
}, 90_000);

afterAll(async () => {
  await minio?.stop();
  removeScratch(directory);
});

const at = (port: number) => ({ host: '127.0.0.1', port });

describe('waitUntilMinioServes', () => {
  it('is done at once when S3 has write quorum and the console answers', async () => {
    const served = await waitUntilMinioServes({ s3: at(minio.port), console: at(minio.consolePort) }, 10_000);
    expect(served).toMatchObject({ ok: true, last: { s3: expect.stringMatching(/: 200$/), console: expect.stringMatching(/: (200|30\d)$/) } });
  });

  it('gives up at its timeout with the last answer of each, when the console never listens', async () => {
    const closed = await freePort();
    const served = await waitUntilMinioServes({ s3: at(minio.port), console: at(closed) }, 2_500);
    expect(served.ok).toBe(false);
    expect(served.ms).toBeGreaterThanOrEqual(1_500);
    expect(served.last.s3).toMatch(/\/minio\/health\/cluster: 200$/);
    expect(served.last.console).toBe(`http://127.0.0.1:${closed}/: connection refused`);
  });

  it('waits for a console that starts listening later (as MinIO\'s does, seconds after its server)', async () => {
    const port = await freePort();
    const late = http.createServer((_request, response) => response.writeHead(200).end('console'));
    const listening = new Promise<void>((resolve) => setTimeout(() => late.listen(port, '127.0.0.1', resolve), 1_500));
    try {
      const served = await waitUntilMinioServes({ s3: at(minio.port), console: at(port) }, 15_000);
      expect(served.ok).toBe(true);
      expect(served.ms).toBeGreaterThanOrEqual(1_000);
    } finally {
      await listening;
      await new Promise((resolve) => late.close(resolve));
    }
  });
});
