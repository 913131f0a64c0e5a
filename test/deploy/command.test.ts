// deploy and verify as commands, in-process, with a scripted docker: exit codes, one line per problem, and nothing
// changed in the swarm when preflight fails.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../generator/cli.ts';
import type { CommandIO } from '../../generator/commands/io.ts';
import { deployCommand } from '../../generator/commands/deploy.ts';
import { frozenRepositories } from '../frozen.ts';
import { failed, fixture, ok, scriptedDocker } from './support.ts';

const repository = frozenRepositories('milvus-swarm-deploy-');

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CommandIO = { cwd, out: (line) => out.push(line), err: (line) => err.push(line), env: {} };
  return { io: value, out, err };
}

/** Read-only docker: what preflight may ask before it decides. */
const READ_ONLY = /^(info|node ls|node inspect|secret ls|config ls|config inspect)\b/;

describe('deploy', () => {
  it('on a worker with a missing secret and drift: one line each, exit 1, nothing changed', async () => {
    const cwd = repository();
    writeFileSync(path.join(cwd, 'rendered/local/README.md'), 'edited by hand\n');
    const docker = scriptedDocker([
      ['info', ok('{"NodeID":"x","LocalNodeState":"active","ControlAvailable":false,"Error":""}')],
      ['node ls', failed('Error response from daemon: This node is not a swarm manager.')],
      ['secret ls', failed('Error response from daemon: This node is not a swarm manager.')],
      ['config ls', failed('Error response from daemon: This node is not a swarm manager.')],
    ]);
    const run = io(cwd);
    expect(await deployCommand({ environment: 'local' }, run.io, docker)).toBe(1);
    const errors = run.err.filter((line) => line.startsWith('error: '));
    expect(errors).toEqual([
      'error: this node is a swarm worker: run deploy on a manager (`docker node ls` on a manager lists them)',
      'error: rendered/local/ is not what the generator renders now (README.md changed): run `npx milvus-swarm render --env local` and commit rendered/local/',
    ]);
    expect(run.err.at(-1)).toBe('deploy local: failed in preflight, nothing was changed (2 problems)');
    expect(docker.calls.filter((call) => !READ_ONLY.test(call))).toEqual([]);
  });

  it('names a missing secret on a manager, exit 1, nothing changed', async () => {
    const docker = scriptedDocker([
      ['info', ok(fixture('swarm-info.json'))],
      ['node ls', ok(fixture('node-ls.jsonl'))],
      // The listed node, without labels (the labels' parsing is tested on a real node's inspect in preflight.test.ts).
      ['node inspect', ok(JSON.stringify([{ ID: '2uii89rul3n8pbh07po3phncm', Spec: { Labels: {} } }]))],
      ['secret ls', ok(fixture('secret-ls.jsonl').split('\n').slice(0, 1).concat(fixture('secret-ls.jsonl').split('\n').slice(2)).join('\n'))],
      ['config ls', ok('')],
    ]);
    const run = io(repository());
    expect(await deployCommand({ environment: 'local' }, run.io, docker)).toBe(1);
    expect(run.err.filter((line) => line.startsWith('error: '))).toEqual([
      'error: secret milvus_minio_root_user does not exist: create it with `printf \'%s\' "$VALUE" | docker secret create milvus_minio_root_user -`',
    ]);
    expect(docker.calls.filter((call) => !READ_ONLY.test(call))).toEqual([]);
  });

  it('refuses usage errors with exit 2', async () => {
    const run = io(repository());
    expect(await main(['deploy'], run.io)).toBe(2);
    expect(await main(['deploy', '--env', 'local', '--resolve-image', 'sometimes'], run.io)).toBe(2);
    expect(await main(['deploy', '--env', 'nope'], run.io)).toBe(2);
    expect(run.err.join('\n')).toMatch(/unknown environment "nope"/);
  });
});

describe('verify', () => {
  it('refuses usage errors with exit 2', async () => {
    const run = io(repository());
    expect(await main(['verify'], run.io)).toBe(2);
    expect(await main(['verify', '--env', 'local', '--s3-endpoint', 'nope'], run.io)).toBe(2);
    expect(await main(['verify', '--env', 'local', '--env-file', 'missing.env'], run.io)).toBe(2);
    expect(run.err.join('\n')).toMatch(/--s3-endpoint "nope": expected HOST:PORT/);
  });

  it('prints the topology problems and exits 1 on an invalid environment', async () => {
    const cwd = repository();
    writeFileSync(path.join(cwd, 'environments/local.yaml'), 'stack: milvus\n');
    const run = io(cwd);
    expect(await main(['verify', '--env', 'local'], run.io)).toBe(1);
    expect(run.err[0]).toMatch(/^environments\/local\.yaml:\d+:\d+: error: /);
  });
});
