// pr.yml, the workflow every topology change goes through, run by act as GitHub runs it for a pull request (its
// `plan` job; `checks` is npm's own typecheck and unit tests, which the suite runs anyway). A scratch repository
// whose main is this repository, a branch per case, origin/main for `plan --base`: a care change is green with the
// plan's procedure in the job summary; an unacknowledged destructive change is red, exit 3, and the summary says how
// to acknowledge it; a hand-edited rendered/ file is red on drift (and the plan still shows). No swarm is needed.
import { rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../generator/docker/cli.ts';
import { runWorkflow, tail } from './support/act.ts';
import { commitAll, scratchRepository, type Scratch } from './support/scratch.ts';

const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);
let scratch: Scratch;
const EVENT = 'pull-request.json';

async function git(...args: string[]): Promise<string> {
  const result = await runCommand('git', ['-c', 'user.name=milvus-swarm e2e', '-c', 'user.email=e2e@milvus-swarm.invalid', ...args], { cwd: scratch.root, timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout;
}

beforeAll(async () => {
  scratch = await scratchRepository({ forAct: true });
  // origin/main, as a pull request's checkout has it.
  await git('remote', 'add', 'origin', scratch.root);
  await git('fetch', '--quiet', 'origin');
  await writeFile(path.join(scratch.root, EVENT), JSON.stringify({ number: 1, pull_request: { number: 1, base: { ref: 'main' }, head: { ref: 'change' } } }));
});

afterAll(async () => {
  await scratch?.remove();
});

/** A branch off main with one change, rendered (unless `render` is false) and committed; the job runs on it. */
async function branch(name: string, change: () => Promise<void>, render = true): Promise<void> {
  await git('checkout', '--quiet', '--force', 'main');
  await git('checkout', '--quiet', '-B', name);
  await change();
  if (render) await scratch.render();
  await commitAll(scratch.root, name);
}

/** The plan job under act. npm ci runs in the scratch copy: its node_modules link (to this repository's) goes first. */
async function planJob() {
  await unlink(path.join(scratch.root, 'node_modules')).catch(() => undefined);
  const run = await runWorkflow('pr.yml', { cwd: scratch.root, event: { name: 'pull_request', payloadFile: EVENT }, job: 'plan', timeoutMs: 10 * 60_000 });
  await rm(path.join(scratch.root, 'node_modules'), { recursive: true, force: true });
  await runCommand('ln', ['-s', path.resolve(import.meta.dirname, '..', '..', 'node_modules'), path.join(scratch.root, 'node_modules')], { timeoutMs: 10_000 });
  return run;
}

describe('pr.yml under act (the plan job)', () => {
  it('a care change: green, and the plan with its procedure in the job summary', async () => {
    await branch('care', () => scratch.edit('conf/nginx/nginx.conf.hbs', (text) => text.replace('    worker_connections 4096;\n', '    worker_connections 2048;\n')));
    const run = await planJob();
    log(`act pr.yml plan (care change): ${(run.wallMs / 1000).toFixed(1)} s`);
    expect(run.code, tail(run)).toBe(0);
    expect(run.jobResult).toBe('success');
    expect(run.steps.get('rendered/ matches the generator')).toBe('success');
    const summary = run.summaries.get('plan (job summary)') ?? '';
    expect(summary).toMatch(/^## plan against main\n/);
    expect(summary).toMatch(/\| care \| `nginx-template:minio-proxy` \| nginx template changed: directives differ \|/);
  });

  it('an unacknowledged destructive change: red with exit 3, and the summary says how to acknowledge it', async () => {
    await branch('destructive', () =>
      scratch.edit('environments/local.yaml', (text) => text.replace('  dataDir: /var/lib/milvus-swarm/local/etcd/{name}\n', '  dataDir: /var/lib/milvus-swarm/local/etcd-moved/{name}\n')),
    );
    const run = await planJob();
    expect(run.code, tail(run)).not.toBe(0);
    expect(run.jobResult).toBe('failure');
    expect(run.steps.get('rendered/ matches the generator')).toBe('success');
    expect(run.steps.get('plan (job summary)')).toBe('failure');
    expect(run.output).toMatch(/exitcode '3': failure/);
    const summary = run.summaries.get('plan (job summary)') ?? '';
    expect(summary).toMatch(/\| destructive \| `etcd-data-dir:etcd1` \|/);
    expect(summary).toMatch(/acknowledge/);
  });

  it('a hand-edited rendered/ file: red on drift, and the plan still shows', async () => {
    await branch('drift', () => scratch.edit('rendered/local/stack.yaml', (text) => `${text}# edited by hand\n`), false);
    const run = await planJob();
    expect(run.code, tail(run)).not.toBe(0);
    expect(run.jobResult).toBe('failure');
    expect(run.steps.get('rendered/ matches the generator')).toBe('failure');
    expect(run.output).toMatch(/rendered\/local\/stack\.yaml/);
    expect(run.steps.get('plan (job summary)')).toBe('success');
    expect(run.summaries.get('plan (job summary)')).toMatch(/^## plan against main\n/);
  });
});
