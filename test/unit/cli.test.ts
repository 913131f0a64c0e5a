// Every exit code of render, check and schema, run in-process in scratch repositories made of the frozen
// environments (../frozen.ts), so an operator's edit of environments/ changes none of them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../generator/cli.ts';
import type { CommandIO } from '../../generator/commands/io.ts';
import { readTree } from '../../generator/workspace/tree.ts';
import { frozenRepositories } from '../frozen.ts';
import { editBase, repoRoot } from './support.ts';

/** A scratch repository: the frozen environments and what the generator renders from them. */
const scratchRepository = frozenRepositories('milvus-swarm-cli-');

async function run(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { cwd, out: (line) => out.push(line), err: (line) => err.push(line), env: {} };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const driftLines = (stderr: string) => stderr.split('\n').filter((line) => /^(changed|missing|stray): /.test(line));

const invalidLocal = (directory: string) =>
  writeFileSync(path.join(directory, 'environments/local.yaml'), readFileSync(path.join(directory, 'environments/local.yaml'), 'utf8').replace('name: etcd3', 'name: etcd2'));

describe('render', () => {
  it('exits 0 and leaves the committed tree unchanged when nothing changed', async () => {
    const directory = scratchRepository();
    const before = await readTree(path.join(directory, 'rendered'));
    const result = await run(directory, 'render');
    expect(result.code).toBe(0);
    expect(result.out).toBe('rendered rendered/local/, rendered/production/ and rendered/topology.schema.json');
    expect(await readTree(path.join(directory, 'rendered'))).toEqual(before);
  });

  it('removes files the generator no longer produces', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'rendered/local/old-file.txt'), 'left over');
    mkdirSync(path.join(directory, 'rendered/retired-env'));
    writeFileSync(path.join(directory, 'rendered/retired-env/stack.yaml'), 'old');
    expect((await run(directory, 'render')).code).toBe(0);
    expect(existsSync(path.join(directory, 'rendered/local/old-file.txt'))).toBe(false);
    expect(existsSync(path.join(directory, 'rendered/retired-env'))).toBe(false);
  });

  it('with --env renders only that environment and keeps the others as they are', async () => {
    const directory = scratchRepository();
    const nginxConf = readFileSync(path.join(directory, 'rendered/local/nginx.conf'), 'utf8');
    writeFileSync(path.join(directory, 'rendered/production/stack.yaml'), 'hand edit\n');
    unlinkSync(path.join(directory, 'rendered/local/nginx.conf'));
    expect((await run(directory, 'render', '--env', 'local')).code).toBe(0);
    expect(readFileSync(path.join(directory, 'rendered/production/stack.yaml'), 'utf8')).toBe('hand edit\n');
    expect(readFileSync(path.join(directory, 'rendered/local/nginx.conf'), 'utf8')).toBe(nginxConf);
  });

  it('exits 1 on an invalid topology, prints one line per problem and a count, and writes nothing', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'rendered/production/stack.yaml'), 'hand edit\n');
    invalidLocal(directory);
    const before = await readTree(path.join(directory, 'rendered'));
    const result = await run(directory, 'render');
    expect(result.code).toBe(1);
    expect(result.err.split('\n')).toEqual([
      "environments/local.yaml:22:12: error: etcd.dataDir: etcd member etcd2's /var/lib/milvus-swarm/local/etcd/etcd2 is the same directory as etcd member etcd2's /var/lib/milvus-swarm/local/etcd/etcd2 where both may run (add {name} to give each its own directory)",
      'environments/local.yaml:27:15: error: etcd.members[2].name: service name "etcd2" is already used at etcd.members[1].name: service names are DNS names on the network',
      'environments/production.yaml:66:12: warning: minio.proxy.image: image "nginx:latest" is not pinned (latest): nodes may run different versions after a pull; pin a version tag or a digest',
      '2 errors, 1 warning: nothing was written',
    ]);
    expect(result.err).not.toMatch(/\n\s+at /);
    expect(await readTree(path.join(directory, 'rendered'))).toEqual(before);
  });

  it('exits 2 on usage errors', async () => {
    const directory = scratchRepository();
    expect((await run(directory, 'render', '--bogus')).code).toBe(2);
    expect((await run(directory, 'render', '--topology', 'x.yaml')).err).toBe('milvus-swarm: --topology and --out go together');
    expect((await run(directory, 'render', '--env', 'staging')).err).toBe('milvus-swarm: unknown environment "staging": environments/staging.yaml does not exist; the environments are local, production');
    expect((await run(directory, 'render', '--env', 'staging')).code).toBe(2);
    expect((await run(tmpdir(), 'render')).err).toMatch(/^milvus-swarm: no environments\/ folder in .*: run from the milvus-swarm repository root/);
  });
});

describe('render --topology FILE --out DIR', () => {
  it('renders any valid topology file into any folder', async () => {
    const directory = scratchRepository();
    const result = await run(directory, 'render', '--topology', path.join(repoRoot, 'test/fixtures/topologies/five-members-two-pools.yaml'), '--out', 'out/bigger');
    expect(result.code).toBe(0);
    expect([...(await readTree(path.join(directory, 'out/bigger'))).keys()].sort()).toEqual([
      'README.md',
      'create-secrets.sh',
      'milvus.yaml',
      'monitoring/README.md',
      'monitoring/alertmanager.yml',
      'monitoring/alerts.yml',
      'monitoring/dashboard-etcd.json',
      'monitoring/dashboard-minio.json',
      'monitoring/prometheus.yml',
      'nginx.conf',
      'prepare-hosts.sh',
      'stack.yaml',
    ]);
  });

  it('prints only located problems and a count for an invalid file, exits 1 and creates nothing', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'bad.yaml'), editBase({ '- { name: etcd3, host: host-c }': '- { name: etcd3, host: hots-c }' }));
    const result = await run(directory, 'render', '--topology', 'bad.yaml', '--out', 'out');
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err.split('\n')).toEqual([
      'bad.yaml:19:28: error: etcd.members[2].host: unknown host "hots-c" (did you mean "host-c"?); define it under hosts',
      '1 error, 0 warnings: nothing was written',
    ]);
    expect(existsSync(path.join(directory, 'out'))).toBe(false);
  });

  it('reports YAML syntax errors the same way', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'broken.yaml'), 'stack: milvus\netcd: [\n');
    const result = await run(directory, 'render', '--topology', 'broken.yaml', '--out', 'out');
    expect(result.code).toBe(1);
    expect(result.err.split('\n')[0]).toMatch(/^broken\.yaml:\d+:\d+: error: \(root\): YAML syntax: /);
    expect(existsSync(path.join(directory, 'out'))).toBe(false);
  });

  it('refuses to replace a folder holding files it did not write', async () => {
    const directory = scratchRepository();
    mkdirSync(path.join(directory, 'precious'));
    writeFileSync(path.join(directory, 'precious/notes.txt'), 'keep me');
    const result = await run(directory, 'render', '--topology', 'environments/local.yaml', '--out', 'precious');
    expect(result.code).toBe(2);
    expect(result.err).toBe('milvus-swarm: precious holds files the generator does not write (notes.txt): choose an empty or a rendered folder');
    expect(readFileSync(path.join(directory, 'precious/notes.txt'), 'utf8')).toBe('keep me');
  });

  it('says so when the file does not exist', async () => {
    const result = await run(scratchRepository(), 'render', '--topology', 'nope.yaml', '--out', 'out');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^milvus-swarm: cannot read .*nope\.yaml: no such file$/);
  });
});

describe('check', () => {
  it('exits 0 on a rendered tree', async () => {
    const result = await run(scratchRepository(), 'check');
    expect(result).toMatchObject({ code: 0, out: 'rendered/ matches the generator (2 environments)' });
  });

  it('exits 1 after a hand edit, naming the file and line', async () => {
    const directory = scratchRepository();
    const file = path.join(directory, 'rendered/production/stack.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 2', 'replicas: 3'));
    const result = await run(directory, 'check');
    expect(result.code).toBe(1);
    expect(driftLines(result.err)).toEqual([expect.stringMatching(/^changed: rendered\/production\/stack\.yaml \(first difference at line \d+\)$/)]);
    expect(result.err).toMatch(/\n1 file differs from what the generator renders: run `npx milvus-swarm render` and commit rendered\/$/);
  });

  it('exits 1 after a deletion', async () => {
    const directory = scratchRepository();
    unlinkSync(path.join(directory, 'rendered/local/milvus.yaml'));
    const result = await run(directory, 'check');
    expect(result.code).toBe(1);
    expect(driftLines(result.err)).toEqual(['missing: rendered/local/milvus.yaml']);
  });

  it('counts every drifted file', async () => {
    const directory = scratchRepository();
    unlinkSync(path.join(directory, 'rendered/local/milvus.yaml'));
    writeFileSync(path.join(directory, 'rendered/local/notes.md'), 'mine');
    const result = await run(directory, 'check');
    expect(result.code).toBe(1);
    expect(result.err.split('\n').at(-1)).toMatch(/^2 files differ from what the generator renders/);
  });

  it('exits 1 with an extra file', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'rendered/local/notes.md'), 'mine');
    const result = await run(directory, 'check');
    expect(result.code).toBe(1);
    expect(driftLines(result.err)).toEqual(['stray: rendered/local/notes.md (the generator does not produce it)']);
  });

  it('exits 1 when a topology changed but rendered/ did not', async () => {
    const directory = scratchRepository();
    const file = path.join(directory, 'environments/production.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 2 # ', 'replicas: 3 # ').replace('    replicas: 2\n    placement: managers\n    s3Port', '    replicas: 3\n    placement: managers\n    s3Port'));
    expect((await run(directory, 'check')).code).toBe(1);
  });

  it('exits 1 on an invalid topology', async () => {
    const directory = scratchRepository();
    invalidLocal(directory);
    const result = await run(directory, 'check');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/error: etcd\.members\[2\]\.name/);
  });
});

describe('schema and usage', () => {
  it('schema prints the JSON Schema that rendered/ holds', async () => {
    const result = await run(scratchRepository(), 'schema');
    expect(result.code).toBe(0);
    expect(`${result.out}\n`).toBe(readFileSync(path.join(repoRoot, 'rendered/topology.schema.json'), 'utf8'));
  });
  it('no command is a usage error; --help is not', async () => {
    expect((await run(repoRoot)).code).toBe(2);
    expect((await run(repoRoot, '--help')).code).toBe(0);
    expect((await run(repoRoot, 'frobnicate')).err).toMatch(/^milvus-swarm: unknown command "frobnicate"/);
    expect((await run(repoRoot, 'frobnicate')).code).toBe(2);
  });
});

describe('the installed bin', () => {
  it('runs through npx with no build step, and reports errors without a stack trace', () => {
    const ok = spawnSync('npx', ['--no-install', 'milvus-swarm', 'check'], { cwd: repoRoot, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const bad = spawnSync('npx', ['--no-install', 'milvus-swarm', 'render', '--topology', 'missing.yaml', '--out', '/tmp/never'], { cwd: repoRoot, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
