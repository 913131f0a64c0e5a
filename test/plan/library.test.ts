// The plan library's parts: versions, machines, field coverage, acknowledgements, the template rule, markdown, and
// the command's usage and input errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../generator/cli.ts';
import { EXIT } from '../../generator/commands/io.ts';
import { checklist, IGNORED_FIELDS } from '../../generator/plan/checklist.ts';
import { nginxDirectives, nginxTemplateChanged } from '../../generator/plan/classifiers/templates.ts';
import { unclassifiedFields } from '../../generator/plan/classifiers/unclassified.ts';
import { compareRevisions } from '../../generator/plan/comparison.ts';
import { covers, differingFields } from '../../generator/plan/fields.ts';
import { planEnvironment, renderPlan, unusedAcknowledgements } from '../../generator/plan/index.ts';
import { sameMachine } from '../../generator/plan/machines.ts';
import { compareReleaseTags, etcdVersion, imageRepository } from '../../generator/plan/versions.ts';
import { renderTopologySchema } from '../../generator/render/schemaJson.ts';
import { caseFiles, CASES_DIR, captureIO, loadSide, planFixture, PRODUCTION, repoRoot } from './support.ts';

const production = () => loadSide('bucket-add', 'before')!;
const template = readFileSync(path.join(repoRoot, 'conf/nginx/nginx.conf.hbs'), 'utf8');

describe('versions', () => {
  it('reads etcd versions from tags with or without v and suffixes, and nothing from latest or a digest', () => {
    expect(etcdVersion('etcd:v3.5.5')).toEqual({ major: 3, minor: 5, patch: 5 });
    expect(etcdVersion('quay.io/coreos/etcd:v3.6.0')).toEqual({ major: 3, minor: 6, patch: 0 });
    expect(etcdVersion('registry:5000/bitnami/etcd:3.5.9-debian-11-r0')).toEqual({ major: 3, minor: 5, patch: 9 });
    expect(etcdVersion('etcd:latest')).toBeUndefined();
    expect(etcdVersion('etcd')).toBeUndefined();
    expect(etcdVersion('etcd@sha256:0123456789abcdef')).toBeUndefined();
  });
  it('names the repository without tag, also behind a registry port', () => {
    expect(imageRepository('registry:5000/etcd:v3.5.5')).toBe('registry:5000/etcd');
    expect(imageRepository('etcd@sha256:abc')).toBe('etcd');
  });
  it('orders release tags of one scheme by their numbers, and refuses to order different schemes', () => {
    expect(compareReleaseTags('v23.03', 'v23.10')).toBe(-1);
    expect(compareReleaseTags('RELEASE.2023-08-04T17-40-21Z', 'RELEASE.2023-03-20T20-16-18Z')).toBe(1);
    expect(compareReleaseTags('v23.03', 'v23.03')).toBe(0);
    expect(compareReleaseTags('v23.03', 'RELEASE.2023-03-20T20-16-18Z')).toBeUndefined();
    expect(compareReleaseTags('latest', 'stable')).toBeUndefined();
  });
});

describe('machines', () => {
  it('follows node ids when both sides know them, host names otherwise', () => {
    expect(sameMachine({ host: 'a', nodeId: 'x' }, { host: 'b', nodeId: 'x' })).toBe(true);
    expect(sameMachine({ host: 'a', nodeId: 'x' }, { host: 'a', nodeId: 'y' })).toBe(true);
    expect(sameMachine({ host: 'a', nodeId: 'x' }, { host: 'b', nodeId: 'y' })).toBe(false);
    expect(sameMachine({ host: 'a' }, { host: 'b' })).toBe(false);
    expect(sameMachine({}, {})).toBe(true);
    expect(sameMachine({}, { host: 'a' })).toBe(false);
  });
});

describe('field coverage', () => {
  it('lists differing leaves, an element on one side only as a whole, and ignores key order', () => {
    expect(differingFields({ a: 1, b: [1, 2], c: { d: 'x' } }, { c: { d: 'y' }, b: [1, 2, 3], a: 1 })).toEqual([
      ['b', 2],
      ['c', 'd'],
    ]);
  });
  it('matches patterns with [] for any index, in both directions of a prefix', () => {
    expect(covers('etcd.members[].host', ['etcd', 'members', 4, 'host'])).toBe(true);
    expect(covers('etcd.members[].host', ['etcd', 'members', 4])).toBe(true);
    expect(covers('minio.env', ['minio', 'env', 'MINIO_CI_CD'])).toBe(true);
    expect(covers('etcd.members[].host', ['etcd', 'members', 4, 'name'])).toBe(false);
    expect(covers('etcd.image', ['etcd', 'dataDir'])).toBe(false);
  });

  it('covers every field of the topology schema with a classifier, so nothing changes unclassified', () => {
    const leaves: string[] = [];
    const walk = (schema: Record<string, unknown>, at: string) => {
      if (schema.properties) {
        for (const [key, child] of Object.entries(schema.properties as Record<string, Record<string, unknown>>)) walk(child, at === '' ? key : `${at}.${key}`);
      } else if (schema.items) walk(schema.items as Record<string, unknown>, `${at}[]`);
      else leaves.push(at);
    };
    walk(JSON.parse(renderTopologySchema()), '');
    expect(leaves).toContain('minio.pools[].nodes[].drives[]');
    const toPath = (leaf: string) => leaf.replace(/\[\]/g, '.0').split('.').map((segment) => (/^\d+$/.test(segment) ? 0 : segment));
    // Only a pattern at or above the leaf answers for it (a pattern below it covers a part, not the leaf).
    const depth = (pattern: string) => pattern.replace(/\[\]/g, '.[]').split('.').length;
    const uncovered = leaves.filter(
      (leaf) => ![...IGNORED_FIELDS, ...checklist.flatMap((item) => item.fields)].some((pattern) => covers(pattern, toPath(leaf)) && depth(pattern) <= toPath(leaf).length),
    );
    expect(uncovered).toEqual([]);
  });

  it('reports a changed field that no classifier covers as care, so a new field cannot slip through', () => {
    const after = { ...production(), etcd: { ...production().etcd, image: 'etcd:v3.5.6' } };
    const withoutVersions = checklist.filter((item) => !item.fields.includes('etcd.image'));
    const changes = unclassifiedFields(withoutVersions, IGNORED_FIELDS)(compareRevisions(production(), after, PRODUCTION));
    expect(changes.map((change) => [change.class, change.id, change.why])).toEqual([
      ['care', 'unclassified:etcd.image', 'no plan rule knows this field yet: what it does to the running clusters is not classified'],
    ]);
    expect(unclassifiedFields(checklist, IGNORED_FIELDS)(compareRevisions(production(), after, PRODUCTION))).toEqual([]);
  });
});

describe('environments and acknowledgements', () => {
  it('a new environment is safe', () => {
    expect(planFixture('environment-added').map((change) => [change.class, change.id, change.acknowledged])).toEqual([['safe', 'environment-added:production', false]]);
  });
  it('a removed environment is destructive, acknowledged only by the file as it was before the deletion', () => {
    const before = loadSide('environment-removed', 'before')!;
    expect(planEnvironment(before, undefined, PRODUCTION).map((change) => [change.class, change.id, change.acknowledged])).toEqual([
      ['destructive', 'environment-removed:production', false],
    ]);
    const acknowledged = { ...before, acknowledge: ['environment-removed:production'] };
    expect(planEnvironment(acknowledged, undefined, PRODUCTION)[0]!.acknowledged).toBe(true);
  });
  it('reads acknowledgements from the after side only: one left in the before side does not count', () => {
    const before = { ...loadSide('etcd-data-dir', 'before')!, acknowledge: ['etcd-data-dir:etcd1'] };
    const changes = planEnvironment(before, loadSide('etcd-data-dir', 'after'), PRODUCTION);
    expect(changes.filter((change) => change.acknowledged)).toEqual([]);
  });
  it('lists acknowledgements that match no change, so they are removed before they accept an unreviewed change', () => {
    const after = loadSide('unused-acknowledgement', 'after')!;
    const changes = planFixture('unused-acknowledgement');
    expect(changes).toEqual([]);
    expect(unusedAcknowledgements(after, changes)).toEqual(['etcd-data-dir:etcd1']);
    expect(unusedAcknowledgements(loadSide('etcd-data-dir-acknowledged', 'after'), planFixture('etcd-data-dir-acknowledged'))).toEqual([]);
  });
  it("never lists a takeover's acknowledgement: only deploy, comparing the live swarm with the topology, meets it", () => {
    const after = { ...loadSide('unused-acknowledgement', 'after')!, acknowledge: ['takeover:milvus', 'etcd-data-dir:etcd1'] };
    expect(unusedAcknowledgements(after, [])).toEqual(['etcd-data-dir:etcd1']);
  });
  it('has nothing to say when neither side exists', () => {
    expect(planEnvironment(undefined, undefined, PRODUCTION)).toEqual([]);
  });
});

describe('nginxTemplateChanged', () => {
  const plan = (after: string, before = template) =>
    nginxTemplateChanged(compareRevisions(production(), production(), { ...PRODUCTION, templates: { before: { nginxConf: before }, after: { nginxConf: after } } }));

  it('is care with a check procedure when the rendered directives differ', () => {
    const [change] = plan(template.replace('client_max_body_size 0;', 'client_max_body_size 1g;'));
    expect(change).toMatchObject({ class: 'care', id: 'nginx-template:minio-proxy', what: 'nginx template changed: directives differ' });
    expect(change!.why).toContain('replaces minio-proxy\'s replicas one at a time');
    expect(change!.procedure!.join('\n')).toContain('nginx:latest nginx -t');
  });
  it('is safe when only comments or layout change: the proxies still roll over onto the new config', () => {
    const [change] = plan(template.replace('# Load balancer for MinIO', '#   Load balancer for MinIO').replace('worker_processes auto;', 'worker_processes   auto;'));
    expect(change).toMatchObject({ class: 'safe', what: 'nginx template changed: comments or layout only' });
    expect(change!.why).toContain('content hash');
  });
  it('is nothing when the template text is the same, or a change renders identically', () => {
    expect(plan(template)).toEqual([]);
    expect(plan(template.replace('{{#each s3Servers}}', '{{#each s3Servers }}'))).toEqual([]);
  });
  it('is care with the reason when the template does not render', () => {
    const [change] = plan(template.replace('{{source}}', '{{nosuchvariable}}'));
    expect(change).toMatchObject({ class: 'care', id: 'nginx-template:minio-proxy' });
    expect(change!.why).toMatch(/^the template does not render for production: "nosuchvariable" not defined/);
  });
  it('strips nginx comments but keeps directives', () => {
    expect(nginxDirectives('a 1; # note\n# whole line\n\n  b   2;')).toBe('a 1; b 2;');
  });
});

describe('markdown', () => {
  it('escapes pipes in cells, marks acknowledged changes, and notes unused acknowledgements', () => {
    const text = renderPlan('x → y', [
      {
        environment: 'production',
        file: 'environments/production.yaml',
        changes: [{ id: 'k:s', class: 'destructive', what: 'a | b', why: 'c', procedure: ['one', 'two'], acknowledged: true }],
        unusedAcknowledgements: ['old:id'],
      },
      { environment: 'local', file: 'environments/local.yaml', changes: [], unusedAcknowledgements: [] },
    ]);
    expect(text).toBe(
      [
        '## Plan: x → y',
        '',
        '- **production**: 1 change: 1 destructive (acknowledged)',
        '- **local**: no changes',
        '',
        '### production',
        '',
        '| class | id | what | why | procedure |',
        '| --- | --- | --- | --- | --- |',
        '| **destructive** (acknowledged) | `k:s` | a \\| b | c | 1. one<br>2. two |',
        '',
        '`acknowledge:` in environments/production.yaml lists `old:id`, matching no change here: remove it once deployed, or the next change with the same id is accepted unreviewed.',
        '',
      ].join('\n'),
    );
  });
});

describe('plan command input', () => {
  const run = async (...args: string[]) => {
    const io = captureIO(CASES_DIR);
    return { code: await main(['plan', ...args], io), stdout: io.stdout, stderr: io.stderr };
  };
  it('needs --base or both --from and --to (exit 2)', async () => {
    expect(await run()).toEqual({ code: EXIT.usage, stdout: [], stderr: ['milvus-swarm: plan needs --base REF, or --from FILE and --to FILE'] });
    expect((await run('--from', 'a.yaml')).code).toBe(EXIT.usage);
    expect((await run('--base', 'HEAD', '--to', 'a.yaml')).stderr).toEqual(['milvus-swarm: use either --base REF or --from FILE --to FILE, not both']);
    expect((await run('--base')).code).toBe(EXIT.usage);
  });
  it('reports a file that does not exist as a usage error (exit 2)', async () => {
    const { code, stderr } = await run('--from', 'nope.yaml', '--to', caseFiles('bucket-add').after);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toEqual([`milvus-swarm: cannot read ${path.join(CASES_DIR, 'nope.yaml')}: no such file`]);
  });
  it('prints the problems of an invalid side in the standard format and exits 1', async () => {
    const files = caseFiles('invalid-topology');
    const { code, stdout, stderr } = await run('--from', files.before, '--to', files.after);
    expect(code).toBe(EXIT.failed);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual([
      'invalid-topology/after.yaml:63:33: error: minio.pools[0].nodes[3].host: unknown host "gp22aitppapnch4" (did you mean "gp22aitppapnch3"?); define it under hosts',
      'invalid-topology/after.yaml:66:12: warning: minio.proxy.image: image "nginx:latest" is not pinned (latest): nodes may run different versions after a pull; pin a version tag or a digest',
      '1 error, 1 warning: no plan',
    ]);
  });
});

describe('classifier branches the corpus does not reach', () => {
  const base = production();
  const compare = (after: typeof base) => compareRevisions(base, after, PRODUCTION);

  it('proxyPlacementChanged is care in host publish mode: clients must find the nodes running a task', async () => {
    const { proxyPlacementChanged } = await import('../../generator/plan/classifiers/proxies.ts');
    const hostMode = { ...base, swarm: { ...base.swarm, publishMode: 'host' as const } };
    const after = { ...hostMode, etcd: { ...hostMode.etcd, proxy: { ...hostMode.etcd.proxy, placement: 'any' as const } } };
    const [change] = proxyPlacementChanged(compareRevisions(hostMode, after, PRODUCTION));
    expect(change).toMatchObject({ class: 'care', id: 'proxy-placement:etcd-proxy' });
    expect(change!.why).toContain('host publish mode');
  });

  it('hostNodeIdsChanged is safe when a node id is dropped: placement falls back to the same host name', async () => {
    const { hostNodeIdsChanged } = await import('../../generator/plan/classifiers/hosts.ts');
    const after = { ...base, hosts: base.hosts.map((host) => (host.name === 'gp22aitppapwc2g' ? { ...host, nodeId: undefined } : host)) };
    const [change] = hostNodeIdsChanged(compare(after));
    expect(change).toMatchObject({ class: 'safe', id: 'node-id:gp22aitppapwc2g' });
    expect(change!.why).toBe('minio1 is placed by node.hostname == gp22aitppapwc2g instead: the same machine; it restarts once');
  });

  it('etcdTuningChanged is safe when the backend quota grows', async () => {
    const { etcdTuningChanged } = await import('../../generator/plan/classifiers/etcdCluster.ts');
    const [change] = etcdTuningChanged(compare({ ...base, etcd: { ...base.etcd, quotaBackendBytes: 8589934592 } }));
    expect(change).toMatchObject({ class: 'safe', id: 'etcd-flag:quota-backend-bytes' });
  });

  it('etcdMembersAdded runs the removal first, then an emptied data dir (acknowledged), when a member is replaced under another name on its host', async () => {
    const after = { ...base, etcd: { ...base.etcd, members: [...base.etcd.members.slice(0, 2), { name: 'etcd4', host: 'gp22aitppapch5z', initialClusterState: 'existing' as const }] } };
    const changes = planEnvironment(base, after, PRODUCTION);
    expect(changes.map((change) => [change.class, change.id])).toEqual([
      ['destructive', 'etcd-data-dir-reuse:etcd4'],
      ['care', 'etcd-member-remove:etcd3'],
      ['care', 'etcd-member-add:etcd4'],
      ['care', 'milvus-etcd-endpoints:milvus'],
    ]);
    const add = changes[2]!;
    expect(add.steps!.map((step) => step.id)).toEqual([
      'etcd-move-leader:etcd3',
      'etcd-member-remove:etcd3',
      'service-remove:milvus_etcd3',
      'etcd-data-dir-empty:etcd3',
      'etcd-member-add:etcd4',
      'etcd-member-start:etcd4',
      'etcd-member-promote:etcd4',
      'etcd-members-roll:etcd1,etcd2,etcd4',
      'stack-deploy:milvus',
    ]);
    expect(add.procedure![3]).toBe(
      "empty /mnt/data/etcd on gp22aitppapch5z: etcd3's copy of the data, which the other members hold too (runs only with `etcd-data-dir-reuse:etcd4` under `acknowledge:`)",
    );
    expect(add.procedure![4]).toContain('--endpoints=http://etcd1:2379,http://etcd2:2379 member add etcd4 --peer-urls=http://etcd4:2380 --learner');
    expect(add.procedure![5]).toContain('--initial-cluster listing etcd1, etcd2 and etcd4');
  });

  it('minioEnvChanged warns that MinIO refuses root-disk drives once MINIO_CI_CD is removed', async () => {
    const { minioEnvChanged } = await import('../../generator/plan/classifiers/minio.ts');
    const before = { ...base, minio: { ...base.minio, env: { MINIO_CI_CD: '1' } } };
    const [change] = minioEnvChanged(compareRevisions(before, base, PRODUCTION));
    expect(change).toMatchObject({ class: 'care', id: 'minio-env:MINIO_CI_CD', what: 'MinIO MINIO_CI_CD removed (was 1)' });
    expect(change!.why).toContain('refuses drives on the root disk');
  });
});
