// Captures what the scrape targets really expose, into test/monitoring/fixtures/: etcd 3.5.5's /metrics (a member
// and its gRPC proxy) and MinIO RELEASE.2023-03-20's node and cluster metrics, from the processes the `processes`
// tests start (the cached binaries; `npx vitest run --project processes` builds them on a clean machine).
// The unit tests check every metric the alert rules and dashboards name against these files.
//
//   npx tsx test/monitoring/captureScrapes.ts
//
// MinIO runs one erasure set of 4 drives; after the healthy scrape three drives are taken away (their folders
// removed), so a PUT fails with a 5xx and the drives count offline: the error and offline series exist only then.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prometheusToken } from '../../generator/cluster/jwt.ts';
import { binaries, freePort, removeScratch, scratchDir, startEtcd, startMinio } from '../processes/support/processes.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

async function scrape(url: string, token?: string): Promise<string> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return response.text();
}

function save(name: string, text: string, source: string): void {
  const header = `# Captured by test/monitoring/captureScrapes.ts: ${source}\n`;
  writeFileSync(path.join(FIXTURES, name), header + text);
  console.log(`${name}: ${text.split('\n').filter((line) => line && !line.startsWith('#')).length} samples`);
}

async function captureEtcd(directory: string): Promise<void> {
  const member = await startEtcd(directory);
  const proxyPort = await freePort();
  const log = path.join(directory, 'grpc-proxy.log');
  const fd = openSync(log, 'a');
  const proxy = spawn(binaries.etcd, ['grpc-proxy', 'start', `--endpoints=${member.endpoint}`, `--listen-addr=127.0.0.1:${proxyPort}`, `--advertise-client-url=127.0.0.1:${proxyPort}`], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  try {
    const client = member.client();
    for (let index = 0; index < 20; index++) await client.put(`capture/${index}`).value('x');
    client.close();
    const proxyUrl = `http://127.0.0.1:${proxyPort}/metrics`;
    const deadline = Date.now() + 20_000;
    let proxyText = '';
    while (!proxyText) {
      proxyText = await scrape(proxyUrl).catch((error) => {
        if (Date.now() > deadline) throw new Error(`${error}\n${readFileSync(log, 'utf8')}`);
        return '';
      });
      if (!proxyText) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    save('etcd-member.prom', await scrape(`${member.clientUrl}/metrics`), 'etcd v3.5.5, one member, GET /metrics');
    save('etcd-grpc-proxy.prom', proxyText, 'etcd v3.5.5 grpc-proxy start, GET /metrics on its listen address');
  } finally {
    proxy.kill('SIGTERM');
    await member.stop();
  }
}

async function captureMinio(directory: string): Promise<void> {
  const drives = path.join(directory, 'drive{1...4}');
  const minio = await startMinio(directory, { serverArguments: [drives] });
  try {
    const token = prometheusToken(minio.accessKey, minio.secretKey, Math.floor(Date.now() / 1000));
    const base = `http://${minio.endpoint}/minio/v2/metrics`;
    const client = minio.client();
    await client.makeBucket('capture', 'us-east-1');
    await client.putObject('capture', 'object', Buffer.from('x'.repeat(1024)));
    await client.statObject('capture', 'missing').catch(() => undefined); // a 4xx
    save('minio-node-healthy.prom', await scrape(`${base}/node`, token), 'MinIO RELEASE.2023-03-20T20-16-18Z, 4 drives (one erasure set), GET /minio/v2/metrics/node');
    save('minio-cluster-healthy.prom', await scrape(`${base}/cluster`, token), 'MinIO RELEASE.2023-03-20T20-16-18Z, 4 drives (one erasure set), GET /minio/v2/metrics/cluster');
    // Three of four drives gone: below write quorum, so uploads answer 503 and the drives count offline.
    for (const drive of [2, 3, 4]) rmSync(path.join(directory, `drive${drive}`), { recursive: true, force: true });
    for (let attempt = 0; attempt < 5; attempt++) await client.putObject('capture', `after-${attempt}`, Buffer.from('y')).catch(() => undefined);
    // MinIO refreshes its drive and node groups once a minute (cmd/metrics-v2.go cacheInterval).
    await new Promise((resolve) => setTimeout(resolve, 65_000));
    for (let attempt = 0; attempt < 5; attempt++) await client.putObject('capture', `late-${attempt}`, Buffer.from('y')).catch(() => undefined);
    save('minio-node-drives-lost.prom', await scrape(`${base}/node`, token), 'the same MinIO after three of its four drive folders were removed, GET /minio/v2/metrics/node');
    save('minio-cluster-drives-lost.prom', await scrape(`${base}/cluster`, token), 'the same MinIO after three of its four drive folders were removed, GET /minio/v2/metrics/cluster');
  } finally {
    await minio.stop();
  }
}

const directory = scratchDir('capture');
try {
  await captureEtcd(directory);
  await captureMinio(directory);
} finally {
  removeScratch(directory);
}
