// diff against docker's own output: the services of the rendered local stack as `docker service inspect` printed them
// on a real one-node swarm right after `docker stack deploy` (fixtures/local-inspect.json, with the stack file they
// were deployed from, fixtures/local-stack.yaml) compare in sync; each kind of hand edit, made on a copy of that output,
// is found with what deploy does about it; a service without milvus-swarm's labels is a takeover.
// Captured with `npm run e2e:up`, then `docker service inspect $(docker service ls -q --filter
// label=com.docker.stack.namespace=milvus) > local-inspect.json` and `docker network ls --no-trunc --format
// "{{.ID}} {{.Name}}" > network-ls.txt`; local-stack.yaml and local.yaml are rendered/local/stack.yaml and
// environments/local.yaml of that commit.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDiff } from '../../generator/diff/diff.ts';
import type { LiveStack } from '../../generator/diff/liveStack.ts';
import { formatDiffMarkdown, diffVerdict } from '../../generator/diff/report.ts';
import { durationMs, shapesFromCompose, type ServiceInspect } from '../../generator/diff/serviceShape.ts';
import { topologyModel } from '../deploy/support.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const stackText = readFileSync(path.join(fixtures, 'local-stack.yaml'), 'utf8');
const inspected = (): ServiceInspect[] => JSON.parse(readFileSync(path.join(fixtures, 'local-inspect.json'), 'utf8'));
const networks = new Map(
  readFileSync(path.join(fixtures, 'network-ls.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' ') as [string, string]),
);
/** The environment the fixture was rendered from (environments/local.yaml at the time), modelled. */
const model = topologyModel(readFileSync(path.join(fixtures, 'local.yaml'), 'utf8'), 'local');
const rendered = shapesFromCompose(stackText, 'milvus');

function live(services: ServiceInspect[], extra: Partial<LiveStack> = {}): LiveStack {
  return { services, networks, nodes: [], secrets: model.secrets.map((secret) => secret.name), taskNodes: new Map(), ...extra };
}

const edit = (name: string, change: (service: ServiceInspect) => void): ServiceInspect[] => {
  const services = inspected();
  const service = services.find((entry) => entry.Spec.Name === `milvus_${name}`);
  if (!service) throw new Error(`no ${name} in the fixture`);
  change(service);
  return services;
};

describe('a stack just deployed from its rendered file', () => {
  it('is in sync, service by service', () => {
    const report = buildDiff(model, rendered, live(inspected()));
    expect(report.services.filter((service) => service.state !== 'in-sync').map((service) => `${service.service}: ${service.differences.map((difference) => difference.field).join(', ')}`)).toEqual([]);
    expect(report).toMatchObject({ inSync: true, takeover: false, foreign: [], orphans: [] });
    expect(diffVerdict(report)).toBe('diff local: in sync with rendered/local/');
  });
});

describe('hand edits', () => {
  it('an image, an environment variable and a replica count, each with what deploy does', () => {
    const services = edit('minio-proxy', (service) => {
      service.Spec.TaskTemplate.ContainerSpec!.Image = 'nginx:1.22.1-hand@sha256:' + 'a'.repeat(64);
      service.Spec.TaskTemplate.ContainerSpec!.Env = [...(service.Spec.TaskTemplate.ContainerSpec!.Env ?? []), 'HAND_EDIT=yes'];
    });
    services.find((service) => service.Spec.Name === 'milvus_etcd-proxy')!.Spec.Mode = { Replicated: { Replicas: 0 } };
    const report = buildDiff(model, rendered, live(services));
    expect(report.inSync).toBe(false);
    const proxy = report.services.find((service) => service.service === 'minio-proxy')!;
    expect(proxy.differences).toEqual([
      { field: 'image', live: 'nginx:1.22.1-hand', rendered: 'nginx:1.22.1', restarts: true },
      { field: 'environment HAND_EDIT', live: 'yes', rendered: '(not set)', restarts: true },
    ]);
    expect(proxy.deploy).toBe('restart it');
    const etcdProxy = report.services.find((service) => service.service === 'etcd-proxy')!;
    expect(etcdProxy).toMatchObject({ state: 'differs', deploy: 'scale it from 0 to 1 task' });
    expect(diffVerdict(report)).toBe('diff local: 2 of 10 services differ');
  });

  it('never shows the value of a variable that looks like a credential', () => {
    const services = edit('minio1', (service) => {
      service.Spec.TaskTemplate.ContainerSpec!.Env = [...(service.Spec.TaskTemplate.ContainerSpec!.Env ?? []), 'MINIO_ROOT_PASSWORD=hunter2-never-shown'];
    });
    const report = buildDiff(model, rendered, live(services));
    expect(JSON.stringify(report)).not.toContain('hunter2');
    expect(formatDiffMarkdown(report)).not.toContain('hunter2');
    expect(report.services.find((service) => service.service === 'minio1')!.differences).toEqual([
      { field: 'environment MINIO_ROOT_PASSWORD', live: '(value not shown)', rendered: '(not set)', restarts: true },
    ]);
  });

  it("a MinIO node's mounts: data at stake, and every node restarts together", () => {
    const services = edit('minio2', (service) => {
      service.Spec.TaskTemplate.ContainerSpec!.Mounts![0]!.Source = '/somewhere/else';
    });
    const minio2 = buildDiff(model, rendered, live(services)).services.find((service) => service.service === 'minio2')!;
    expect(minio2.dataAtStake).toBe("MinIO's drives: mounts decide which directory it starts on");
    expect(minio2.deploy).toBe('restart every MinIO node together, before the load balancer (S3 pauses until all are back)');
  });
});

describe('what else diff reports', () => {
  it('a service milvus-swarm did not deploy is a takeover; another team\'s is left alone; a missing one is created', () => {
    const services = edit('etcd1', (service) => {
      delete service.Spec.Labels;
    }).filter((service) => service.Spec.Name !== 'milvus_minio4');
    services.push({ ID: 'x', Spec: { Name: 'milvus_milvus-proxy', TaskTemplate: {}, Mode: { Replicated: { Replicas: 2 } } } });
    const report = buildDiff(model, rendered, live(services, { secrets: [] }));
    expect(report.takeover).toBe(true);
    expect(report.services.find((service) => service.service === 'etcd1')!.state).toBe('takeover');
    expect(report.services.find((service) => service.service === 'minio4')).toMatchObject({ state: 'missing', deploy: 'create it' });
    expect(report.foreign).toEqual(['milvus_milvus-proxy']);
    expect(report.missingSecrets).toEqual(model.secrets.map((secret) => secret.name));
    const markdown = formatDiffMarkdown(report);
    expect(markdown).toContain('| etcd1 | not deployed by milvus-swarm (takeover) |');
    expect(markdown).toContain('Left alone (in the stack\'s namespace, not milvus-swarm\'s): milvus_milvus-proxy.');
  });
});

describe('durations', () => {
  it.each([
    ['5s', 5000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['2h', 7_200_000],
    ['5 s', undefined],
  ])('%s is %s ms', (text, ms) => expect(durationMs(text)).toBe(ms));
});

describe('the rendered side as docker stack deploy makes it', () => {
  it("reads compose's $$ as the literal $ swarm holds (the load balancer's entrypoint script)", () => {
    const text = readFileSync(path.resolve(import.meta.dirname, '../../rendered/staging/stack.yaml'), 'utf8');
    const script = shapesFromCompose(text, 'milvus').get('minio-proxy')!.entrypoint[2]!;
    expect(text).toContain('"$$name"');
    expect(script).toContain('until getent hosts "$name" >/dev/null');
    expect(script).not.toContain('$$');
  });
});
