// `plan --base REF` on a temporary git repository: environments and the nginx template at REF against the working tree.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../generator/cli.ts';
import { EXIT } from '../../generator/commands/io.ts';
import { BASE } from './cases.ts';
import { captureIO, repoRoot, rowOf } from './support.ts';

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'plan test',
  GIT_AUTHOR_EMAIL: 'plan@test.invalid',
  GIT_COMMITTER_NAME: 'plan test',
  GIT_COMMITTER_EMAIL: 'plan@test.invalid',
};

let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const file = (relative: string) => path.join(repo, relative);
const read = (relative: string) => readFileSync(file(relative), 'utf8');
const write = (relative: string, text: string) => {
  mkdirSync(path.dirname(file(relative)), { recursive: true });
  writeFileSync(file(relative), text);
};
const replaceIn = (relative: string, from: string, to: string) => {
  const text = read(relative);
  if (!text.includes(from)) throw new Error(`${relative} has no "${from}"`);
  write(relative, text.replace(from, to));
};
const commit = (message: string) => {
  git('add', '-A');
  git('commit', '-q', '-m', message);
};

async function planAgainst(ref: string) {
  const io = captureIO(repo, GIT_ENV);
  const code = await main(['plan', '--base', ref], io);
  return { code, markdown: io.output, stderr: io.stderr };
}

/** production.yaml as the plan cases froze it (so line numbers hold while environments/ evolves); staging is a copy. */
const frozenProduction = BASE;

beforeEach(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-plan-'));
  write('environments/production.yaml', frozenProduction);
  write('environments/staging.yaml', frozenProduction.replace('stack: milvus\n', 'stack: milvus-staging\n'));
  write('conf/nginx/nginx.conf.hbs', readFileSync(path.join(repoRoot, 'conf/nginx/nginx.conf.hbs'), 'utf8'));
  git('init', '-q', '-b', 'main');
  commit('the runbook cluster');
});

afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('plan --base REF', () => {
  it('says "no changes" for every environment when the working tree is the commit', async () => {
    const { code, markdown } = await planAgainst('main');
    expect(code).toBe(EXIT.ok);
    expect(markdown).toBe('## Plan: `main` → working tree\n\n- **production**: no changes\n- **staging**: no changes');
  });

  it('classifies an uncommitted change of the working tree: disk3 on one production node exits 3', async () => {
    replaceIn('environments/production.yaml', '- { name: minio3, host: gp22aitppap7keb }', '- { name: minio3, host: gp22aitppap7keb, drives: [/mnt/data/disk1, /mnt/data/disk3] }');
    const { code, markdown } = await planAgainst('HEAD');
    expect(code).toBe(EXIT.destructive);
    expect(markdown).toContain('- **production**: 1 change: 1 destructive (not acknowledged)\n- **staging**: no changes');
    expect(rowOf(markdown, 'minio-drive-paths:minio3')).toContain('`npx milvus-swarm deploy --env production`');
  });

  it('compares with older commits too: a change committed since REF counts', async () => {
    replaceIn('environments/production.yaml', '    - { name: milvus-bucket, policy: private }', '    - { name: milvus-bucket, policy: private }\n    - { name: milvus-backup }');
    commit('a backup bucket');
    expect((await planAgainst('HEAD')).markdown).toContain('- **production**: no changes');
    const { code, markdown } = await planAgainst('HEAD~1');
    expect(code).toBe(EXIT.ok);
    expect(rowOf(markdown, 'bucket-add:milvus-backup')).toMatch(/^\| safe \| /);
  });

  it('counts an environment added (safe) and one removed (destructive)', async () => {
    cpSync(file('environments/staging.yaml'), file('environments/qa.yaml'));
    rmSync(file('environments/staging.yaml'));
    const { code, markdown } = await planAgainst('main');
    expect(code).toBe(EXIT.destructive);
    expect(rowOf(markdown, 'environment-removed:staging')).toMatch(/^\| \*\*destructive\*\* \| .*unmanaged/);
    expect(rowOf(markdown, 'environment-added:qa')).toMatch(/^\| safe \| /);
    expect(markdown).toContain('- **production**: no changes\n- **qa**: 1 change: 1 safe\n- **staging**: 1 change: 1 destructive (not acknowledged)');
    expect(markdown).toContain('list its id under `acknowledge:` in environments/staging.yaml in a change before the one that deletes it.');
  });

  it('accepts a removal acknowledged in the file before it was deleted, and keeps it marked', async () => {
    write('environments/staging.yaml', `${read('environments/staging.yaml')}\nacknowledge: [environment-removed:staging]\n`);
    commit('staging is to be retired');
    rmSync(file('environments/staging.yaml'));
    const { code, markdown } = await planAgainst('main');
    expect(code).toBe(EXIT.ok);
    expect(rowOf(markdown, 'environment-removed:staging')).toMatch(/^\| \*\*destructive\*\* \(acknowledged\) \| /);
  });

  it('classifies a changed nginx template for every environment: directives are care, comments only are safe', async () => {
    replaceIn('conf/nginx/nginx.conf.hbs', 'worker_connections 4096;', 'worker_connections 8192;');
    const directives = await planAgainst('main');
    expect(directives.code).toBe(EXIT.ok);
    for (const environment of ['production', 'staging']) expect(directives.markdown).toContain(`- **${environment}**: 1 change: 1 care`);
    expect(rowOf(directives.markdown, 'nginx-template:minio-proxy')).toMatch(/^\| care \| `nginx-template:minio-proxy` \| nginx template changed: directives differ \| .*nginx -t/);

    git('checkout', '--', 'conf/nginx/nginx.conf.hbs');
    replaceIn('conf/nginx/nginx.conf.hbs', '# Load balancer for MinIO (MinIO has none)', '# The load balancer for MinIO, which has none');
    const comments = await planAgainst('main');
    expect(rowOf(comments.markdown, 'nginx-template:minio-proxy')).toMatch(/^\| safe \| `nginx-template:minio-proxy` \| nginx template changed: comments or layout only \| /);
  });

  it('prints the problems of an invalid working-tree topology in the standard format (warnings too, as render does) and exits 1', async () => {
    replaceIn('environments/production.yaml', '    - { name: etcd3, host: gp22aitppapch5z }', '    - { name: etcd3, host: gp22aitppapch5y }');
    const { code, markdown, stderr } = await planAgainst('main');
    expect(code).toBe(EXIT.failed);
    expect(markdown).toBe('');
    expect(stderr).toEqual([
      'environments/production.yaml:42:28: error: etcd.members[2].host: unknown host "gp22aitppapch5y" (did you mean "gp22aitppapch5z"?); define it under hosts',
      'environments/production.yaml:66:12: warning: minio.proxy.image: image "nginx:latest" is not pinned (latest): nodes may run different versions after a pull; pin a version tag or a digest',
      '1 error, 1 warning: no plan',
    ]);
  });

  it('names a topology that is invalid at REF by git\'s REF:path', async () => {
    replaceIn('environments/production.yaml', 'stack: milvus\n', 'stack: Milvus\n');
    commit('a broken name');
    git('checkout', 'HEAD~1', '--', 'environments/production.yaml');
    const { code, stderr } = await planAgainst('main');
    expect(code).toBe(EXIT.failed);
    expect(stderr[0]).toMatch(/^main:environments\/production\.yaml:5:8: error: stack: expected a DNS label/);
  });

  it('refuses a ref that is not a commit (exit 2)', async () => {
    const { code, stderr } = await planAgainst('no-such-branch');
    expect(code).toBe(EXIT.usage);
    expect(stderr).toEqual([`milvus-swarm: --base no-such-branch: not a commit of the git repository at ${repo}`]);
  });
});
