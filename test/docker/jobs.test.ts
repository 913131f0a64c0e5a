// runJobs: a job whose container the engine failed to start is created again. The failure is moby#48783 (the secrets
// tmpfs remounted read-only fails with EBUSY, more often with less free memory): seen once in a loaded CI run
// (13:12 UTC on 2026-12-07, a restore's fetch job on etcd3), and it cannot be produced on demand. So this runner is a
// scripted stand-in that answers with the task error from that run; the jobs' real runs are the e2e and staging
// drills' (host preparation, restores, monitoring files).
import { describe, expect, it } from 'vitest';
import type { DockerResult, DockerRunner } from '../../generator/docker/runner.ts';
import { engineStartGlitch, retriedNotes, runJobs } from '../../generator/docker/jobs.ts';

const GLITCH =
  'starting container failed: unable to remount dir as readonly: mount tmpfs:/var/lib/docker/containers/32a6de8d7f0d/mounts/secrets, flags: 0x21, data: uid=0,gid=0: device or resource busy';
const MISSING_MKDIR = 'starting container failed: OCI runtime create failed: exec: "mkdir": executable file not found in $PATH: unknown';
const answer = (code: number, stdout = '', stderr = ''): DockerResult => ({ code, stdout, stderr, timedOut: false, elapsedMs: 5 });

/** Each `service create` of a job starts its next scripted task: [state, error]; the last one repeats. */
function scripted(tasks: Record<string, [string, string][]>, failingRemovals = 0) {
  const calls: string[] = [];
  let removals = 0;
  const created = new Map<string, number>();
  const runner: DockerRunner = async (args) => {
    const [verb, sub] = args;
    const name = args.at(-1)!;
    if (verb === 'service' && sub === 'create') {
      const job = args[args.indexOf('--name') + 1]!;
      created.set(job, (created.get(job) ?? 0) + 1);
      calls.push(`create ${job}`);
      return answer(0, `${job}-id\n`);
    }
    if (verb === 'service' && sub === 'ps') return answer(0, `task-of-${name}\n`);
    if (verb === 'inspect') {
      const job = name.replace(/^task-of-/, '');
      const script = tasks[job]!;
      const [state, error] = script[Math.min(created.get(job)! - 1, script.length - 1)]!;
      return answer(0, JSON.stringify([{ Status: { State: state, Err: error } }]));
    }
    if (verb === 'service' && sub === 'logs') return answer(0, `${name} said hello\n`);
    if (verb === 'service' && sub === 'rm') {
      calls.push(`rm ${args.slice(2).join(' ')}`);
      return ++removals <= failingRemovals ? answer(1, '', 'Error response from daemon: rpc error: code = DeadlineExceeded') : answer(0);
    }
    return answer(1, '', `unexpected: docker ${args.join(' ')}`);
  };
  return { runner, calls };
}

const job = (name: string) => ({ name, args: ['service', 'create', '--name', name, 'busybox'] });

describe('runJobs', () => {
  it('creates a job again when the engine failed to start its container, and says so', async () => {
    const docker = scripted({ fetch: [['rejected', GLITCH], ['complete', '']], other: [['complete', '']] });
    const runs = await runJobs(docker.runner, [job('fetch'), job('other')], 10_000, 1);
    expect(runs.get('fetch')).toMatchObject({ state: { kind: 'complete' }, output: 'fetch said hello\n', retried: [`rejected: ${GLITCH}`] });
    expect(runs.get('other')).toMatchObject({ state: { kind: 'complete' }, retried: [] });
    expect(docker.calls).toEqual(['create fetch', 'create other', 'rm fetch', 'create fetch', 'rm other fetch']);
    expect(retriedNotes('etcd3: job fetch', runs.get('fetch')!)).toEqual([`etcd3: job fetch: the engine failed to start its container (rejected: ${GLITCH.slice(0, 190)}), so the job was created again`]);
  });

  it('gives up after three starts, with the engine\'s words', async () => {
    const docker = scripted({ fetch: [['failed', GLITCH]] });
    const run = (await runJobs(docker.runner, [job('fetch')], 10_000, 1)).get('fetch')!;
    expect(run.state).toEqual({ kind: 'failed', error: `failed: ${GLITCH}` });
    expect(run.retried).toHaveLength(2);
    expect(docker.calls.filter((call) => call === 'create fetch')).toHaveLength(3);
  });

  it("does not create again a job that failed for a cause of its own", async () => {
    const docker = scripted({ prepare: [['rejected', MISSING_MKDIR], ['complete', '']] });
    const run = (await runJobs(docker.runner, [job('prepare')], 10_000, 1)).get('prepare')!;
    expect(run).toMatchObject({ state: { kind: 'failed', error: `rejected: ${MISSING_MKDIR}` }, retried: [] });
    expect(docker.calls).toEqual(['create prepare', 'rm prepare']);
  });

  it('keeps the failure, and removes the job at the end, when the failed one cannot be removed to create it again', async () => {
    const docker = scripted({ fetch: [['rejected', GLITCH], ['complete', '']] }, 1);
    const run = (await runJobs(docker.runner, [job('fetch')], 10_000, 1)).get('fetch')!;
    expect(run).toMatchObject({ state: { kind: 'failed', error: `rejected: ${GLITCH}` }, retried: [] });
    expect(docker.calls).toEqual(['create fetch', 'rm fetch', 'rm fetch']);
  });

  it('says a job still going when the wait ran out timed out, and removes it', async () => {
    const docker = scripted({ slow: [['running', '']] });
    const run = (await runJobs(docker.runner, [job('slow')], 5, 1)).get('slow')!;
    expect(run).toMatchObject({ state: { kind: 'failed', error: 'did not finish within 0 s (docker service ps slow)' }, timedOut: true });
    expect(docker.calls).toEqual(['create slow', 'rm slow']);
  });

  it('knows the engine glitch and nothing else', () => {
    expect(engineStartGlitch(`rejected: ${GLITCH}`)).toBe(true);
    expect(engineStartGlitch(`rejected: ${MISSING_MKDIR}`)).toBe(false);
    expect(engineStartGlitch('invalid mount config for type "bind": bind source path does not exist: /mnt/data')).toBe(false);
  });
});
