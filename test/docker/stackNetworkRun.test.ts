// runOnStackNetwork: docker's "network <id> not found" for a network that exists is the node re-attaching the overlay
// network (reproduced on the staging swarm: the last task on a manager removed, then `docker run --network` there).
// The refusal comes for about a second and cannot be produced on demand, so this runner is a scripted stand-in that
// answers with docker's words from that reproduction; test/e2e/networkReattach.test.ts runs the real race.
import { describe, expect, it } from 'vitest';
import type { DockerOptions, DockerResult, DockerRunner } from '../../generator/docker/runner.ts';
import { REATTACH_TRIES, runOnStackNetwork } from '../../generator/cluster/stackNetworkRun.ts';

const REFUSED = "docker: Error response from daemon: network z2sod8x90iil5xijs0cmuk6ms not found.\nSee 'docker run --help'.\n";
const answer = (code: number, stderr = '', stdout = ''): DockerResult => ({ code, stderr, stdout, timedOut: false, elapsedMs: 5 });

/** Answers `docker run` with `runs` in order (the last one repeats), `network inspect` with `networkExists`. */
function scripted(runs: DockerResult[], networkExists: boolean) {
  const calls: string[] = [];
  const runner: DockerRunner = async (args: readonly string[], _options?: Partial<DockerOptions>) => {
    calls.push(args[0] === 'run' ? 'run' : `${args[0]} ${args[1]}`);
    if (args[0] === 'network') return networkExists ? answer(0, '', 'z2sod8x90iil5xijs0cmuk6ms\n') : answer(1, 'Error: No such network: milvus_net\n');
    return runs[Math.min(calls.filter((call) => call === 'run').length - 1, runs.length - 1)]!;
  };
  return { runner, calls };
}

const run = { network: 'milvus_net', args: ['run', '--rm', '--network', 'milvus_net', 'etcd', 'etcdctl'], timeoutMs: () => 30_000 };

describe('runOnStackNetwork', () => {
  it('tries again while the node re-attaches an existing network, and returns the answer that came', async () => {
    const docker = scripted([answer(125, REFUSED), answer(0, '', '{"members":[]}')], true);
    const result = await runOnStackNetwork(docker.runner, run, 1);
    expect(result).toMatchObject({ code: 0, stdout: '{"members":[]}', tries: 2 });
    expect(docker.calls).toEqual(['run', 'network inspect', 'run']);
  });

  it('knows the refusal as engines from 28 on word it, wrapped', async () => {
    const wrapped = 'docker: Error response from daemon: failed to set up container networking: network z2sod8x90iil5xijs0cmuk6ms not found\n\nRun \'docker run --help\' for more information\n';
    const docker = scripted([answer(125, wrapped), answer(0)], true);
    expect(await runOnStackNetwork(docker.runner, run, 1)).toMatchObject({ code: 0, tries: 2 });
  });

  it("does not try again when the caller's time is nearly spent: docker's answer is returned", async () => {
    const docker = scripted([answer(125, REFUSED), answer(0)], true);
    expect(await runOnStackNetwork(docker.runner, { ...run, timeoutMs: () => 250 }, 1)).toMatchObject({ code: 125, tries: 1 });
    expect(docker.calls).toEqual(['run']);
  });

  it('answers at once when the network does not exist (no stack): docker was right', async () => {
    const docker = scripted([answer(125, REFUSED)], false);
    const result = await runOnStackNetwork(docker.runner, run, 1);
    expect(result).toMatchObject({ code: 125, tries: 1 });
    expect(docker.calls).toEqual(['run', 'network inspect']);
  });

  it(`gives up after ${REATTACH_TRIES} tries with docker's last answer`, async () => {
    const docker = scripted([answer(125, REFUSED)], true);
    const result = await runOnStackNetwork(docker.runner, run, 1);
    expect(result).toMatchObject({ code: 125, stderr: REFUSED, tries: REATTACH_TRIES });
    expect(docker.calls.filter((call) => call === 'run')).toHaveLength(REATTACH_TRIES);
  });

  it('never tries again for anything else: etcdctl failing, or another refusal of docker', async () => {
    for (const first of [answer(1, 'Error: context deadline exceeded\n'), answer(125, 'docker: Error response from daemon: pull access denied for etcd.\n')]) {
      const docker = scripted([first, answer(0)], true);
      expect(await runOnStackNetwork(docker.runner, run, 1)).toMatchObject({ code: first.code, tries: 1 });
      expect(docker.calls).toEqual(['run']);
    }
  });
});
