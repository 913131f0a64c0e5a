// pr.yml, the workflow every topology change goes through, run by act as GitHub runs it for a pull request (its
// `plan` job; `checks` is npm's own typecheck and unit tests, which the suite runs anyway). A scratch repository
// whose main is this repository, a branch per run, origin/main for `plan --base`: a care change is green with the
// plan's procedure in the job summary; a branch with an unacknowledged destructive change and a hand-edited rendered/
// file is red twice over — the drift step fails, and the plan step (which runs after a drift too) exits 3 with the
// summary saying how to acknowledge. Two runs, not three: each costs an npm ci. No swarm is needed.
import { rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../generator/docker/cli.ts';
import { runWorkflow, tail } from './support/act.ts';
import { commitAll, scratchRepository, type Scratch } from './support/scratch.ts';

const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);
let scratch: Scratch;
/** The pull_request payload act reads, beside the scratch repository (a file inside it would be committed). */
let event = '';

async function git(...args: string[]): Promise<string> {
  const result = await runCommand('git', ['-c', 'user.name=milvus-swarm e2e', '-c', 'user.email=e2e@milvus-swarm.invalid', ...args], { cwd: scratch.root, timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout;
}

beforeAll(async () => {
  scratch = await scratchRepository({ forAct: true });
  // origin/main, as a pull request's checkout has it (the scratch repository is its own origin already).
  await git('fetch', '--quiet', 'origin');
  event = `${scratch.root}-pull-request.json`;
  await writeFile(event, JSON.stringify({ number: 1, pull_request: { number: 1, base: { ref: 'main' }, head: { ref: 'change' } } }));
});

afterAll(async () => {
  await scratch?.remove();
  if (event) await rm(event, { force: true });
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
  const run = await runWorkflow('pr.yml', { cwd: scratch.root, event: { name: 'pull_request', payloadFile: event }, job: 'plan', timeoutMs: 10 * 60_000 });
  await rm(path.join(scratch.root, 'node_modules'), { recursive: true, force: true });
  await runCommand('ln', ['-s', path.resolve(import.meta.dirname, '..', '..', 'node_modules'), path.join(scratch.root, 'node_modules')], { timeoutMs: 10_000 });
  return run;
}

describe('pr.yml under act (the plan job)', () => {
  it('a care change: green, and the plan with its procedure in the job summary', async () => {
    await branch('care', async () => {
      await scratch.edit('conf/nginx/nginx.conf.hbs', (text) => text.replace('    worker_connections 4096;\n', '    worker_connections 2048;\n'));
      await scratch.render('all');
    }, false);
    const run = await planJob();
    log(`act pr.yml plan (care change): ${(run.wallMs / 1000).toFixed(1)} s`);
    expect(run.code, tail(run)).toBe(0);
    expect(run.jobResult, tail(run)).toBe('success');
    expect(run.steps.get('rendered/ matches the generator')).toBe('success');
    const summary = run.summaries.get('plan (job summary)') ?? '';
    expect(summary).toMatch(/^## plan against main\n/);
    expect(summary).toMatch(/\| care \| `nginx-template:minio-proxy` \| nginx template changed: directives differ \|/);
  });

  it('an unacknowledged destructive change and a hand-edited rendered/ file: red on drift, and red with exit 3 with the summary saying how to acknowledge', async () => {
    await branch('destructive-and-drift', async () => {
      await scratch.edit('environments/local.yaml', (text) => text.replace('  dataDir: /var/lib/milvus-swarm/local/etcd/{name}\n', '  dataDir: /var/lib/milvus-swarm/local/etcd-moved/{name}\n'));
      await scratch.render();
      await scratch.edit('rendered/production/stack.yaml', (text) => `${text}# edited by hand\n`);
    }, false);
    const run = await planJob();
    expect(run.code, tail(run)).not.toBe(0);
    expect(run.jobResult, tail(run)).toBe('failure');
    expect(run.steps.get('rendered/ matches the generator')).toBe('failure');
    expect(run.output).toMatch(/changed: rendered\/production\/stack\.yaml/);
    expect(run.steps.get('plan (job summary)')).toBe('failure');
    expect(run.output).toMatch(/exit status 3/);
    const summary = run.summaries.get('plan (job summary)') ?? '';
    expect(summary).toMatch(/\| \*\*destructive\*\* \| `etcd-data-dir:etcd1` \|/);
    expect(summary).toMatch(/list its id under `acknowledge:` in environments\/local\.yaml/);
  });
});
