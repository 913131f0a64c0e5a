// Rolling etcd members one at a time: which members would restart, the partial stack files that hold the others
// back, and the running specs as engine 20.10 prints them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SPEC_LABEL } from '../../generator/render/stack.ts';
import { renderedMembers, stackWithout } from '../../generator/deploy/operations/stackFiles.ts';
import { rollingSteps } from '../../generator/deploy/operations/memberRoll.ts';
import { runningSpecs } from '../../generator/deploy/operations/runningSpecs.ts';
import { stackDeployArgs } from '../../generator/deploy/operations/deployStackFile.ts';
import { ok, repoRoot, scriptedDocker } from './support.ts';

const local = readFileSync(path.join(repoRoot, 'rendered/local/stack.yaml'), 'utf8');
const members = renderedMembers(local);
const specOf = (name: string) => members.find((member) => member.name === name)!.spec;

describe('the spec label', () => {
  it('is on every rendered service, and differs between members (their names and data dirs differ)', () => {
    const services = (parse(local) as { services: Record<string, { deploy: { labels: Record<string, string> } }> }).services;
    for (const service of Object.values(services)) expect(service.deploy.labels[SPEC_LABEL]).toMatch(/^[0-9a-f]{12}$/);
    expect(members.map((member) => member.name)).toEqual(['etcd1', 'etcd2', 'etcd3']);
    expect(new Set(members.map((member) => member.spec)).size).toBe(3);
  });
});

describe('rollingSteps', () => {
  const running = (specs: Record<string, string | undefined>) => new Map(Object.entries(specs));

  it('holds back the later members while each earlier one restarts alone, when all three would restart', () => {
    expect(rollingSteps(members, running({ etcd1: 'old1', etcd2: 'old2', etcd3: undefined, 'etcd-proxy': 'x' }))).toEqual({
      restart: ['etcd1', 'etcd2', 'etcd3'],
      steps: [['etcd2', 'etcd3'], ['etcd3']],
    });
  });

  it('needs no steps when at most one running member would restart, or on a first deploy', () => {
    expect(rollingSteps(members, running({ etcd1: specOf('etcd1'), etcd2: 'old', etcd3: specOf('etcd3') }))).toEqual({ restart: ['etcd2'], steps: [] });
    expect(rollingSteps(members, running({ etcd1: specOf('etcd1'), etcd2: specOf('etcd2'), etcd3: specOf('etcd3') }))).toEqual({ restart: [], steps: [] });
    expect(rollingSteps(members, running({}))).toEqual({ restart: [], steps: [] });
  });

  it('counts only members that run: a member the deploy creates does not restart', () => {
    expect(rollingSteps(members, running({ etcd1: 'old', etcd3: 'old' }))).toEqual({ restart: ['etcd1', 'etcd3'], steps: [['etcd3']] });
  });
});

describe('stackWithout', () => {
  it('drops the held-back services, keeps everything else, and makes config files absolute', () => {
    const step = parse(stackWithout(local, ['etcd2', 'etcd3'], '/repo/rendered/local')) as { services: Record<string, unknown>; configs: Record<string, { file: string; name: string }> };
    const full = parse(local) as { services: Record<string, unknown>; configs: Record<string, { file: string; name: string }> };
    expect(Object.keys(step.services)).toEqual(Object.keys(full.services).filter((name) => name !== 'etcd2' && name !== 'etcd3'));
    expect(step.services.etcd1).toEqual(full.services.etcd1);
    expect(Object.values(step.configs).map((config) => config.file)).toEqual(['/repo/rendered/local/nginx.conf']);
    expect(Object.values(step.configs).map((config) => config.name)).toEqual(Object.values(full.configs).map((config) => config.name));
  });

  it('is deployed without --prune, so the held-back members are left as they run', () => {
    expect(stackDeployArgs({ composeFile: '/tmp/x/stack.yaml', stack: 'milvus' })).not.toContain('--prune');
  });
});

describe('runningSpecs', () => {
  it('reads each stack service\'s label by its name in the stack file; a service without one has none', async () => {
    const docker = scriptedDocker([
      ['service ls', ok('id1\nid2\nid3\n')],
      ['service inspect', ok('milvus_etcd1 6d6ed512c454\nmilvus_etcd2 <no value>\nmilvus_minio-proxy 0123456789ab\n')],
    ]);
    expect(await runningSpecs(docker, 'milvus', 5_000)).toEqual({ ok: true, value: new Map([['etcd1', '6d6ed512c454'], ['etcd2', undefined], ['minio-proxy', '0123456789ab']]) });
    expect(docker.calls[1]).toBe(`service inspect --format {{.Spec.Name}} {{index .Spec.Labels "${SPEC_LABEL}"}} id1 id2 id3`);
  });
});
