// The docker helpers deploy and verify ask through: a value, or the daemon's own line with the command it answered.
import { describe, expect, it } from 'vitest';
import { dockerDo, dockerJson, dockerLines, dockerValue } from '../../generator/docker/calls.ts';
import { failed, ok, scriptedDocker } from '../deploy/support.ts';

const USAGE_AFTER_ERROR = "Error response from daemon: This node is not a swarm manager.\n\nRun 'docker service --help' for more information\n";

describe('docker calls', () => {
  it('return what the command printed, parsed', async () => {
    const docker = scriptedDocker([['service ls', ok(' id1\n\nid2 \n')], ['service inspect', ok('[{"ID":"id1"}]')], ['service rm', ok('')]]);
    expect(await dockerLines(docker, ['service', 'ls', '--quiet'])).toEqual({ ok: true, value: ['id1', 'id2'] });
    expect(await dockerJson(docker, ['service', 'inspect', 'id1'])).toEqual({ ok: true, value: [{ ID: 'id1' }] });
    expect(await dockerDo(docker, ['service', 'rm', 'id1'])).toEqual({ ok: true, value: undefined });
  });

  it("keep the daemon's line, not the usage hint, and name the command", async () => {
    const docker = scriptedDocker([['node ls', failed(USAGE_AFTER_ERROR)]]);
    expect(await dockerLines(docker, ['node', 'ls', '--quiet'])).toEqual({
      ok: false,
      reason: 'Error response from daemon: This node is not a swarm manager',
      error: 'docker node ls: Error response from daemon: This node is not a swarm manager',
    });
  });

  it('say a timeout in the seconds the call was given', async () => {
    const docker = scriptedDocker([['info', { code: -1, stdout: '', stderr: 'docker info: killed after 5000 ms\n', timedOut: true, elapsedMs: 5_003 }]]);
    expect(await dockerDo(docker, ['info'], { timeoutMs: 5_000 })).toMatchObject({ ok: false, error: 'docker info: no answer within 5 s' });
  });

  it('turn output the parser refuses into a failure, never a throw', async () => {
    const docker = scriptedDocker([['config inspect', ok('not json')]]);
    const read = await dockerJson(docker, ['config', 'inspect', 'x']);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toMatch(/^docker config inspect: unreadable output \(.*JSON/);
    expect(await dockerValue(docker, ['config', 'inspect', 'x'], () => 1)).toEqual({ ok: true, value: 1 });
  });
});
