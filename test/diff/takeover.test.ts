// The takeover checks, on the staging topology (production's shape) and live services written as the runbook's
// compose would run them: every way a takeover would put a stateful service on other data, or MinIO on other
// credentials, is refused with both sides named; the runbook's own layout passes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shapesFromCompose, type ServiceShape } from '../../generator/diff/serviceShape.ts';
import { driveEndpoints, etcdDataDir, expandEllipses, flagValue, hostPathOf, sha256, takeoverProblems, type TakeoverFacts } from '../../generator/diff/takeover.ts';
import { renderSource } from '../../generator/workspace/pipeline.ts';
import { readTemplates } from '../../generator/workspace/repository.ts';
import type { SwarmNode } from '../../generator/docker/swarm.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const source = { environment: 'staging', file: 'environments/staging.yaml', text: readFileSync(path.join(repoRoot, 'test/diff/fixtures/staging.yaml'), 'utf8') };
const result = renderSource(source, await readTemplates());
if (!result.ok) throw new Error('the staging fixture does not render');
const model = result.model;
const rendered = shapesFromCompose(result.files.get('stack.yaml')!, model.stack);

const node = (hostname: string, labels: Record<string, string> = {}): SwarmNode => ({ id: `id-${hostname}`, hostname, status: 'Ready', availability: 'Active', managerStatus: '', labels }) as SwarmNode;
const NODES = [node('stg-etcd1', { zk1: 'true' }), node('stg-etcd2', { zk2: 'true' }), node('stg-etcd3', { zk3: 'true' }), ...[1, 2, 3, 4].map((index) => node(`stg-minio${index}`))];

/** The runbook's services: etcd with its data in /mnt/data/etcd (mounted at /etcd-data), MinIO's published compose. */
function runbook(): Map<string, ServiceShape> {
  const live = new Map<string, ServiceShape>();
  for (const index of [1, 2, 3]) {
    const name = `etcd${index}`;
    live.set(name, {
      ...rendered.get(name)!,
      labels: {},
      entrypoint: [],
      args: ['etcd', `--name=${name}`, '--data-dir=/etcd-data', `--listen-client-urls=http://0.0.0.0:2379`],
      mounts: [{ type: 'bind', source: '/mnt/data/etcd', target: '/etcd-data', readOnly: false }],
    });
  }
  for (const index of [1, 2, 3, 4]) {
    const name = `minio${index}`;
    live.set(name, {
      ...rendered.get(name)!,
      labels: {},
      entrypoint: ['/usr/bin/docker-entrypoint.sh'],
      args: ['server', '--console-address', ':9090', 'http://minio{1...4}/data{1...2}'],
      environment: { MINIO_ROOT_USER: 'runbook-admin', MINIO_ROOT_PASSWORD: 'runbook-password', MINIO_CI_CD: '1' },
      secrets: [],
    });
  }
  return live;
}

const DIGESTS = new Map([
  [model.minio.secrets.rootUser, sha256('runbook-admin')],
  [model.minio.secrets.rootPassword, sha256('runbook-password')],
]);

function facts(change: (live: Map<string, ServiceShape>) => void = () => undefined, overrides: Partial<TakeoverFacts> = {}): TakeoverFacts {
  const live = runbook();
  change(live);
  const runsOn = new Map(model.services.map((service) => [service.name, service.role === 'etcd-member' ? [`stg-${service.name}`] : service.role === 'minio-node' ? [`stg-${service.name}`] : []]));
  return { model, live, rendered, runsOn, nodes: NODES, secretDigests: DIGESTS, ...overrides };
}

describe('the runbook\'s own layout', () => {
  it('passes: same data dirs, drives in the same order, the secrets hold the credentials MinIO runs with', () => {
    expect(takeoverProblems(facts())).toEqual([]);
  });
});

describe('etcd', () => {
  it('bitnami-style: the data one level down in the mount is another directory than the rendered member\'s', () => {
    const problems = takeoverProblems(
      facts((live) => {
        for (const name of ['etcd1', 'etcd2', 'etcd3']) live.set(name, { ...live.get(name)!, args: ['etcd', `--name=${name}`, '--data-dir=/etcd-data/data'] });
      }),
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe(
      'etcd1 keeps its data in /mnt/data/etcd/data on its host (--data-dir=/etcd-data/data, inside the mount /mnt/data/etcd → /etcd-data); the rendered member in /mnt/data/etcd (--data-dir=/var/lib/etcd): deploy would start it on another directory, as a new and empty member — set etcd.dataDir: /mnt/data/etcd/data in environments/staging.yaml (render, commit), then deploy again',
    );
  });

  it('ETCD_DATA_DIR counts as --data-dir does; data inside the container is no host directory', () => {
    const [viaEnv] = takeoverProblems(facts((live) => live.set('etcd2', { ...live.get('etcd2')!, args: ['etcd'], environment: { ETCD_DATA_DIR: '/etcd-data/member-data' } })));
    expect(viaEnv).toContain('etcd2 keeps its data in /mnt/data/etcd/member-data on its host (ETCD_DATA_DIR=/etcd-data/member-data');
    const [inContainer] = takeoverProblems(facts((live) => live.set('etcd3', { ...live.get('etcd3')!, args: ['etcd', '--name=etcd3'], mounts: [] })));
    expect(inContainer).toMatch(/^etcd3 keeps its data \(etcd's default data dir etcd3\.etcd .*\) in the container itself \(no mount holds it\)/);
  });

  it('a member running on another node than the topology pins it to', () => {
    const problems = takeoverProblems({ ...facts(), runsOn: new Map([...facts().runsOn, ['etcd1', ['stg-etcd2']]]) });
    expect(problems).toEqual([expect.stringMatching(/^etcd1 runs on node stg-etcd2, where its data dir is; the topology pins it to host stg-etcd1 \(node stg-etcd1\)/)]);
  });
});

describe('MinIO', () => {
  it('drives in another order: refused, both orders named', () => {
    const problems = takeoverProblems(
      facts((live) => {
        for (const index of [1, 2, 3, 4]) live.set(`minio${index}`, { ...live.get(`minio${index}`)!, args: ['server', 'http://minio{1...4}/data2', 'http://minio{1...4}/data1'] });
      }),
    );
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^minio1 runs MinIO on 8 drive endpoints in this order: minio1\/data2 minio2\/data2 minio3\/data2 .*; the rendered command line has 8: minio1\/data1 minio1\/data2 .* — MinIO refuses drives in another order/);
  });

  it("a drive's host directory that is not the rendered one", () => {
    const problems = takeoverProblems(facts((live) => live.set('minio3', { ...live.get('minio3')!, mounts: [{ type: 'bind', source: '/mnt/data/disk2', target: '/data1', readOnly: false }, { type: 'bind', source: '/mnt/data/disk1', target: '/data2', readOnly: false }] })));
    expect(problems).toEqual([
      expect.stringMatching(/^minio3's drive \/data1 is \/mnt\/data\/disk2 on its host; the rendered one \/mnt\/data\/disk1/),
      expect.stringMatching(/^minio3's drive \/data2 is \/mnt\/data\/disk1 on its host; the rendered one \/mnt\/data\/disk2/),
    ]);
  });

  it('other root credentials than the secrets hold: refused, compared by digest, never printed', () => {
    const problems = takeoverProblems(facts(() => undefined, { secretDigests: new Map([[model.minio.secrets.rootUser, sha256('runbook-admin')], [model.minio.secrets.rootPassword, sha256('another-password')]]) }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^minio1, minio2, minio3, minio4 run with other root credentials \(MINIO_ROOT_USER\/MINIO_ROOT_PASSWORD set inline in its environment\) than the swarm secrets milvus_minio_root_user\/milvus_minio_root_password hold \(compared by SHA-256, not shown\)/);
    expect(problems[0]).not.toMatch(/runbook-password|another-password/);
  });

  it('credentials from secrets of other names compare by the digests of those secrets', () => {
    const fromFiles = (live: Map<string, ServiceShape>) => {
      for (const index of [1, 2, 3, 4]) {
        live.set(`minio${index}`, {
          ...live.get(`minio${index}`)!,
          environment: { MINIO_ROOT_USER_FILE: '/run/secrets/old_user', MINIO_ROOT_PASSWORD_FILE: '/run/secrets/old_password' },
          secrets: [
            { name: 'old_user', target: 'old_user' },
            { name: 'old_password', target: 'old_password' },
          ],
        });
      }
    };
    const same = new Map([...DIGESTS, ['old_user', sha256('runbook-admin')], ['old_password', sha256('runbook-password')]]);
    expect(takeoverProblems(facts(fromFiles, { secretDigests: same }))).toEqual([]);
    const other = new Map([...DIGESTS, ['old_user', sha256('runbook-admin')], ['old_password', sha256('rotated')]]);
    expect(takeoverProblems(facts(fromFiles, { secretDigests: other }))[0]).toContain('(the secrets old_user/old_password)');
  });
});

describe('the parsers', () => {
  it('flags in either form, MinIO ellipses in order, host paths through the deepest mount', () => {
    expect(flagValue(['etcd --name etcd1 --data-dir /x'], 'data-dir')).toBe('/x');
    expect(flagValue(['-data-dir=/y'], 'data-dir')).toBe('/y');
    expect(expandEllipses('http://minio{1...2}/data{1...2}')).toEqual(['http://minio1/data1', 'http://minio1/data2', 'http://minio2/data1', 'http://minio2/data2']);
    expect(driveEndpoints({ ...rendered.get('minio1')! })).toHaveLength(8);
    expect(hostPathOf('/a/b/c', [{ type: 'bind', source: '/h', target: '/a', readOnly: false }, { type: 'bind', source: '/g', target: '/a/b', readOnly: false }]).hostPath).toBe('/g/c');
    expect(etcdDataDir({ ...rendered.get('etcd1')! }).path).toBe('/var/lib/etcd');
  });
});
