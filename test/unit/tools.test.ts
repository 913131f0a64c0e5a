// The rendered files pass the real tools that consume them: docker stack config, nginx -t, bash and shellcheck.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSource } from '../../generator/workspace/pipeline.ts';
import { readTemplates } from '../../generator/workspace/repository.ts';
import { renderableTopologies, renderFile } from './renderedFiles.ts';
import { editBase } from './support.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-tools-'));
afterAll(() => execFileSync('rm', ['-rf', scratch]));

/** Writes a rendered folder to disk so the tools read real files, as an operator's would. */
async function writeRendered(topologyFile: string): Promise<string> {
  const rendered = await renderFile(topologyFile);
  const directory = path.join(scratch, rendered.environment);
  mkdirSync(directory, { recursive: true });
  for (const [name, text] of rendered.files) {
    mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
    writeFileSync(path.join(directory, name), text, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return directory;
}

/**
 * `nginx -t` in a mount namespace whose /etc/hosts is `hosts`. Its stderr is a file, as in a container: Node's
 * stdio pipes are sockets, which the rendered `error_log /dev/stderr` cannot open.
 */
function nginxTest(directory: string, hosts: string) {
  const stderrFile = path.join(directory, 'nginx-stderr.log');
  const stderr = openSync(stderrFile, 'w');
  const script = `mount --bind "$1" /etc/hosts && exec nginx -t -q -c "$2"`;
  const result = spawnSync('unshare', ['--mount', 'sh', '-c', script, 'sh', hosts, path.join(directory, 'nginx.conf')], { stdio: ['ignore', 'ignore', stderr] });
  closeSync(stderr);
  return { status: result.status, stderr: readFileSync(stderrFile, 'utf8') };
}

describe.each(renderableTopologies())('%s', (topologyFile) => {
  it('renders a stack that `docker stack config` accepts', async () => {
    const directory = await writeRendered(topologyFile);
    const result = spawnSync('docker', ['stack', 'config', '-c', path.join(directory, 'stack.yaml')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^services:/m);
  });

  it('renders an nginx.conf that `nginx -t` accepts, given the service names', async () => {
    const directory = await writeRendered(topologyFile);
    const rendered = await renderFile(topologyFile);
    // nginx resolves upstream names at load time: give it the MinIO names in a private /etc/hosts
    // (a mount namespace, so the machine's own /etc/hosts is untouched).
    const names = rendered.model.minio.pools.flatMap((pool) => pool.nodes.map((node) => node.name));
    const hosts = path.join(directory, 'hosts');
    writeFileSync(hosts, `127.0.0.1 localhost\n127.0.0.2 ${names.join(' ')}\n`);
    const result = nginxTest(directory, hosts);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(['prepare-hosts.sh', 'create-secrets.sh'])('renders a %s that shellcheck passes', async (script) => {
    const directory = await writeRendered(topologyFile);
    const result = spawnSync('shellcheck', ['--severity=style', path.join(directory, script)], { encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('nginx -t is a real check', () => {
  it('fails when a MinIO name does not resolve', async () => {
    const directory = await writeRendered('test/fixtures/topologies/local.yaml');
    writeFileSync(path.join(directory, 'hosts'), '127.0.0.1 localhost\n');
    const result = nginxTest(directory, path.join(directory, 'hosts'));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/host not found in upstream "minio1:9000"/);
  });
});

describe('prepare-hosts.sh', async () => {
  // The base fixture with its data under a scratch root, so the script can really run here.
  const root = path.join(scratch, 'hostroot');
  const text = editBase({
    'dataDir: /data/etcd': `dataDir: ${root}/etcd`,
    '- drives: [/data/disk1, /data/disk2]': `- drives: [${root}/disk1, ${root}/disk2]`,
  });
  const rendered = renderSource({ environment: 'scratch', file: 'scratch.yaml', text }, await readTemplates());
  if (!rendered.ok) throw new Error('scratch topology does not render');
  const script = path.join(scratch, 'prepare-hosts.sh');
  writeFileSync(script, rendered.files.get('prepare-hosts.sh')!, { mode: 0o755 });
  const run = (...args: string[]) => spawnSync('bash', [script, ...args], { encoding: 'utf8' });

  it('changes nothing in a dry run', () => {
    const result = run('--dry-run', 'host-a');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`mkdir ${root}/etcd (mode 0700)\nmkdir ${root}/disk1 (mode 0755)\nmkdir ${root}/disk2 (mode 0755)\n`);
    expect(() => statSync(root)).toThrow();
  });

  it("creates the host's directories with their modes, and is idempotent", () => {
    expect(run('host-a').status).toBe(0);
    expect(readdirSync(root).sort()).toEqual(['disk1', 'disk2', 'etcd']);
    expect(statSync(`${root}/etcd`).mode & 0o777).toBe(0o700);
    expect(statSync(`${root}/disk1`).mode & 0o777).toBe(0o755);
    const again = run('host-a');
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`ok    ${root}/etcd\nok    ${root}/disk1\nok    ${root}/disk2\n`);
  });

  it('fixes a wrong mode on an existing directory', () => {
    execFileSync('chmod', ['0777', `${root}/etcd`]);
    expect(run('host-a').stdout).toContain(`chmod 0700 ${root}/etcd`);
    expect(statSync(`${root}/etcd`).mode & 0o777).toBe(0o700);
  });

  it('accepts the host by IP and prepares only what that host holds', () => {
    const result = run('--dry-run', '10.0.0.4');
    expect(result.stdout).toBe(`ok    ${root}/disk1\nok    ${root}/disk2\n`);
  });

  it('refuses a host that holds no data, and says how to list them', () => {
    const result = run('host-z');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('prepare-hosts.sh: host-z is not a data host of environment scratch; run with --list to see them\n');
    expect(run('--list').stdout).toBe('host-a 10.0.0.1\nhost-b 10.0.0.2\nhost-c 10.0.0.3\nhost-d 10.0.0.4\n');
  });

  it('rejects an unknown option with usage (exit 2)', () => {
    const result = run('--force');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown option --force/);
  });
});

// Its creating path needs a swarm manager (the end-to-end suite's engine); here, what it does without one.
describe('create-secrets.sh', async () => {
  const directory = await writeRendered('test/fixtures/topologies/base.yaml');
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync('bash', [path.join(directory, 'create-secrets.sh'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

  it('names the secrets and the variables their values come from', () => {
    const text = readFileSync(path.join(directory, 'create-secrets.sh'), 'utf8');
    expect(text).toContain(
      "ensure_secret 'minio_user' MINIO_ROOT_USER\nensure_secret 'minio_password' MINIO_ROOT_PASSWORD\nensure_secret 'minio_verify_user' MINIO_VERIFY_USER\nensure_secret 'minio_verify_password' MINIO_VERIFY_PASSWORD\n",
    );
  });

  it('refuses to run where docker is no swarm manager, before reading any value', () => {
    const result = run([], { DOCKER_HOST: 'unix:///nonexistent/milvus-swarm-test.sock', MINIO_ROOT_PASSWORD: 'never-printed-9c1e' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('create-secrets.sh: docker here is not a swarm manager (or cannot be reached): run it on a manager\n');
    expect(result.stdout).toBe('');
  });

  it('prints its usage, and rejects an unknown option (exit 2)', () => {
    expect(run(['--help'])).toMatchObject({ status: 0, stdout: 'create-secrets.sh [--dry-run]\n' });
    expect(run(['--force'])).toMatchObject({ status: 2, stderr: 'create-secrets.sh: unknown option --force\ncreate-secrets.sh [--dry-run]\n' });
  });
});

