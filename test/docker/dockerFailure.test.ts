// The cause of a failed docker call is the daemon's line, never the CLI's usage hint (issue 14: a verify row once
// printed only "Run 'docker run --help' for more information"). Real CLI output, produced here with docker 28.
import { describe, expect, it } from 'vitest';
import { docker, dockerFailure } from '../../generator/docker/cli.ts';
import { containerProblem } from '../../generator/cluster/etcdctl.ts';
import { etcdCluster } from '../../generator/cluster/etcdCluster.ts';
import { frozenModel } from '../frozen.ts';

const NO_DAEMON = { ...process.env, DOCKER_HOST: 'unix:///nonexistent/milvus-swarm-test.sock' };

describe('dockerFailure', () => {
  it('keeps the daemon line of a real `docker run` failure, not the usage hint after it', async () => {
    const result = await docker(['run', '--rm', 'busybox', 'true'], { env: NO_DAEMON, timeoutMs: 20_000 });
    expect(result.code).toBe(125);
    expect(result.stderr).toMatch(/Run 'docker run --help'/);
    expect(dockerFailure(result)).toBe('Cannot connect to the Docker daemon at unix:///nonexistent/milvus-swarm-test.sock. Is the docker daemon running?');
  });

  it('prefers the error line over a progress line before it', () => {
    const stderr = "Unable to find image 'etcd:v9.9.9' locally\ndocker: Error response from daemon: pull access denied for etcd, repository does not exist.\n\nRun 'docker run --help' for more information\n";
    expect(dockerFailure({ code: 125, stderr, stdout: '', timedOut: false, elapsedMs: 5 })).toBe('Error response from daemon: pull access denied for etcd, repository does not exist');
  });

  it('says a timeout in seconds', () => {
    expect(dockerFailure({ code: -1, stderr: 'docker service: killed after 5000 ms\n', stdout: '', timedOut: true, elapsedMs: 5_004 })).toBe('no answer within 5 s');
  });
});

describe('containerProblem', () => {
  it('names the daemon line for every docker-run exit code (125, 126, 127), and only for those', () => {
    const stderr = 'docker: Error response from daemon: failed to create task for container: exec: "etcdctl": executable file not found in $PATH: unknown.\n\nRun \'docker run --help\' for more information\n';
    for (const code of [125, 126, 127]) {
      expect(containerProblem(code, stderr)).toBe('the etcdctl container did not start: Error response from daemon: failed to create task for container: exec: "etcdctl": executable file not found in $PATH: unknown');
    }
    expect(containerProblem(1, '{"level":"warn"}\nError: context deadline exceeded\n')).toBeUndefined();
  });
});

describe('etcdCluster', () => {
  it("says docker's reason when the etcdctl container never ran, not the usage hint (a staging deploy once stopped on it)", async () => {
    const cluster = etcdCluster((args, options) => docker(args, { ...options, env: NO_DAEMON, timeoutMs: 20_000 }), frozenModel('production'));
    const listed = await cluster.members(['etcd1', 'etcd2', 'etcd3']);
    expect(listed.ok).toBe(false);
    expect(listed.ok ? '' : listed.reason).toBe('etcdctl member list: the etcdctl container did not start: Cannot connect to the Docker daemon at unix:///nonexistent/milvus-swarm-test.sock. Is the docker daemon running?');
  });
});
