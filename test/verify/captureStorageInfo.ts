// Captures what MinIO RELEASE.2023-03-20's admin storageinfo answers on the local stack (4 nodes × 2 drives, one
// erasure set), into test/verify/fixtures/: healthy, then with minio3 scaled to 0 (a node MinIO cannot reach: its
// drives come back with their endpoint and `offline` only). The failure budget's unit tests judge these files.
// Needs the local stack (npm run e2e:up) and the Docker lock; minio3 is scaled back and awaited before it exits.
//
//   flock /work/docker.lock npx tsx test/verify/captureStorageInfo.ts   (the lock file the machine's runs share)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { docker } from '../../generator/docker/cli.ts';
import { MinioAdmin } from '../../generator/minio/admin.ts';
import { readLocalEnv } from '../e2e/harness/credentials.ts';
import { waitUntilReady } from '../e2e/harness/readiness.ts';
import { loadModel } from '../e2e/harness/topology.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

async function main(): Promise<void> {
  const model = await loadModel();
  const credentials = await readLocalEnv();
  if (!credentials) throw new Error('no local.env: npm run e2e:up first');
  const admin = new MinioAdmin({ endpoint: 'http://127.0.0.1:9000', credentials: { accessKey: credentials.user, secretKey: credentials.password }, timeoutMs: 60_000 });
  const save = (name: string, value: unknown) => {
    // Only what the budget reads: endpoints, states, indexes and the backend (no sizes, ids or paths of this machine).
    const info = value as { Disks: Record<string, unknown>[]; Backend: Record<string, unknown> };
    const disks = info.Disks.map((disk) => Object.fromEntries(['endpoint', 'state', 'pool_index', 'set_index', 'disk_index'].filter((key) => key in disk).map((key) => [key, disk[key]])));
    writeFileSync(path.join(FIXTURES, name), `${JSON.stringify({ Disks: disks, Backend: info.Backend }, null, 1)}\n`);
    console.log(`${name}: ${disks.length} drives`);
  };
  save('storageinfo-healthy.json', await admin.storageInfo());
  const service = `${model.stack}_minio3`;
  await docker(['service', 'scale', '--detach', `${service}=0`], { timeoutMs: 60_000 });
  try {
    for (let attempt = 0; ; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // The first call after a node went away waits for MinIO's peer call to time out (tens of seconds).
      const started = performance.now();
      const info = await admin.storageInfo();
      console.log(`storageinfo answered in ${((performance.now() - started) / 1000).toFixed(1)} s, ${info.Disks.filter((disk) => disk.state !== 'ok').length} drives not ok`);
      if (info.Disks.filter((disk) => disk.state !== 'ok').length >= 2 || attempt > 20) {
        save('storageinfo-minio3-down.json', info);
        break;
      }
    }
  } finally {
    await docker(['service', 'scale', '--detach', `${service}=1`], { timeoutMs: 60_000 });
    await waitUntilReady(model, 180_000);
  }
}

await main();
