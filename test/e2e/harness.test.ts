// The harness and the deploy library against the real swarm: e2e:up is idempotent, the credentials file is what
// verify expects, the rendered healthchecks really run in the images, and convergence is judged from task state
// (a rollback fails even though `docker stack deploy` exited 0).
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, dockerFailure } from '../../generator/docker/cli.ts';
import { dockerOk } from './support/docker.ts';
import { waitForConvergence } from '../../generator/deploy/operations/convergence.ts';
import { deployStack } from '../../generator/deploy/operations/deployStackFile.ts';
import { removeStack } from './harness/stackRemove.ts';
import type { ClusterModel } from '../../generator/model/types.ts';
import { ENVIRONMENT_FILES } from '../../generator/render/index.ts';
import { ENV_NAMES, POINT_KEY_NAME } from './harness/credentials.ts';
import { INPUTS_LABEL } from './harness/images.ts';
import { e2eUp, PROBE_STACK } from './harness/lifecycle.ts';
import { LOCAL_ENV_FILE } from './harness/paths.ts';
import { loadModel, renderedDir } from './harness/topology.ts';

let model: ClusterModel;
beforeAll(async () => {
  model = await loadModel();
});

/** Everything a redeploy could change: running tasks and their containers, configs, secrets, network, files. */
async function snapshot() {
  const label = `label=com.docker.stack.namespace=${model.stack}`;
  const lines = async (args: string[]) => (await dockerOk(args, { timeoutMs: 20_000 })).split('\n').filter(Boolean).sort();
  const renderedFiles = await Promise.all(
    ENVIRONMENT_FILES.map(async (name) => {
      const file = path.join(renderedDir(), name);
      return `${name} ${(await stat(file)).mtimeMs} ${(await readFile(file, 'utf8')).length}`;
    }),
  );
  return {
    tasks: await lines(['stack', 'ps', model.stack, '--quiet', '--no-trunc', '--filter', 'desired-state=running']),
    containers: await lines(['container', 'ls', '--quiet', '--no-trunc', '--filter', label]),
    configs: await lines(['config', 'ls', '--format', '{{.ID}} {{.Name}}']),
    secrets: await lines(['secret', 'ls', '--format', '{{.ID}} {{.Name}}']),
    networks: await lines(['network', 'ls', '--format', '{{.ID}} {{.Name}}', '--filter', label]),
    renderedFiles,
    localEnv: await readFile(LOCAL_ENV_FILE, 'utf8'),
  };
}

describe('e2e:up', () => {
  it('a second run builds, imports and creates nothing, and changes nothing', async () => {
    const before = await snapshot();
    const second = await e2eUp();
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(second.phases.find((phase) => phase.name === 'binaries')?.detail).not.toMatch(/built/);
    expect(second.phases.find((phase) => phase.name === 'images')?.detail).not.toMatch(/imported/);
    expect(second.phases.find((phase) => phase.name === 'secrets')?.detail).toMatch(/^all exist; credentials reused/);
    process.stdout.write(`[e2e] e2e:up, second run: ${(second.totalMs / 1000).toFixed(1)} s\n`);
  });

  it('keeps the credentials and the point key in local.env, mode 600, in the names verify and backup read', async () => {
    const info = await stat(LOCAL_ENV_FILE);
    expect((info.mode & 0o777).toString(8)).toBe('600');
    const names = (await readFile(LOCAL_ENV_FILE, 'utf8')).trim().split('\n').map((line) => line.split('=')[0]);
    expect(names).toEqual([ENV_NAMES.user, ENV_NAMES.password, ENV_NAMES.verifyUser, ENV_NAMES.verifyPassword, POINT_KEY_NAME]);
  });
});

describe('the images local.yaml names', () => {
  it('exist, carry their inputs hash, and hold only what the upstream images do', async () => {
    const images = [...new Set([...model.services.map((service) => service.image), model.swarm.helperImage])].sort();
    expect(images).toEqual(['busybox:1.35.0', 'etcd:v3.5.5', 'minio:v23.03', 'nginx:1.22.1']);
    for (const image of images) {
      const label = await dockerOk(['image', 'inspect', image, '--format', `{{index .Config.Labels "${INPUTS_LABEL}"}}`], { timeoutMs: 15_000 });
      expect({ image, label: label.trim() }).toMatchObject({ image, label: expect.stringMatching(/^[0-9a-f]{16}$/) });
    }
    // quay.io/coreos/etcd:v3.5.x is distroless: etcd, etcdctl, etcdutl, and no shell.
    const shell = await docker(['run', '--rm', '--entrypoint', 'sh', model.etcd.image, '-c', 'true'], { timeoutMs: 60_000 });
    expect({ code: shell.code, error: dockerFailure(shell) }).toEqual({ code: 127, error: expect.stringMatching(/"sh": executable file not found/) });
    for (const tool of ['etcd', 'etcdctl', 'etcdutl']) {
      const version = await docker(['run', '--rm', '--entrypoint', tool, model.etcd.image, tool === 'etcd' ? '--version' : 'version'], { timeoutMs: 60_000 });
      expect({ tool, code: version.code, out: version.stdout }).toEqual({ tool, code: 0, out: expect.stringContaining('3.5.5') });
    }
  });

  it('run the rendered http probes: a closed port fails cleanly (curl exit 7), not a missing tool (127)', async () => {
    for (const service of model.services.filter((candidate) => candidate.healthcheck?.test.at(-1)?.startsWith('http://'))) {
      const probe = service.healthcheck!.test.slice(1, -1);
      const result = await docker(['run', '--rm', '--entrypoint', probe[0]!, service.image, ...probe.slice(1), 'http://127.0.0.1:9/'], { timeoutMs: 60_000 });
      expect({ service: service.name, code: result.code, stderr: result.stderr.trim() }).toEqual({ service: service.name, code: 7, stderr: expect.stringMatching(/Failed to connect/) });
    }
    // MinIO's probe in sh, passing on the entrypoint's marker while it waits for the peers (model/minioPeerWait.ts):
    // with no marker and a closed port, curl's failure and the test's own 1, not a missing shell or tool.
    const wrapped = model.services.filter((candidate) => candidate.healthcheck?.test[1] === 'sh');
    expect(wrapped.map((service) => service.role)).toContain('minio-node');
    for (const service of wrapped) {
      const script = service.healthcheck!.test[3]!.replace(/http:\/\/127\.0\.0\.1:\d+\/\S*/, 'http://127.0.0.1:9/');
      const result = await docker(['run', '--rm', '--entrypoint', 'sh', service.image, '-c', script], { timeoutMs: 60_000 });
      expect({ service: service.name, code: result.code, stderr: result.stderr.trim() }).toEqual({ service: service.name, code: 1, stderr: expect.stringMatching(/Failed to connect/) });
    }
  });

  it('report every running task of the stack healthy by its rendered healthcheck (members have none: probe none; nor has the network anchor)', async () => {
    const ids = (await dockerOk(['container', 'ls', '--quiet', '--filter', `label=com.docker.stack.namespace=${model.stack}`], { timeoutMs: 20_000 }))
      .split('\n')
      .filter(Boolean);
    const states = (
      await dockerOk(['container', 'inspect', ...ids, '--format', '{{index .Config.Labels "com.docker.swarm.service.name"}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}'], {
        timeoutMs: 20_000,
      })
    )
      .trim()
      .split('\n')
      .map((line) => ({ service: line.split(' ')[0]!, health: line.split(' ')[1] }));
    expect(states.map((state) => state.service).sort()).toEqual(model.services.map((service) => `${model.stack}_${service.name}`).sort());
    const expected = (service: string) => (model.services.find((candidate) => `${model.stack}_${candidate.name}` === service)?.healthcheck ? 'healthy' : 'none');
    for (const state of states) expect(state).toEqual({ service: state.service, health: expected(state.service) });
    // The members (probe none) and the network anchor (an idle sleep: nothing to probe).
    expect(states.filter((state) => state.health === 'none').map((state) => state.service).sort()).toEqual(['milvus_etcd1', 'milvus_etcd2', 'milvus_etcd3', 'milvus_network-anchor']);
  });
});

describe('converge (generator/deploy) on a throw-away stack (of the helper image: the etcd image has no shell)', () => {
  let directory: string;
  const compose = (command: string, failureAction = 'rollback') => `version: "3.8"
services:
  probe:
    image: ${model.swarm.helperImage}
    entrypoint: [sh, -c, ${JSON.stringify(command)}]
    deploy:
      replicas: 1
      restart_policy: { condition: any, delay: 1s }
      update_config: { parallelism: 1, order: stop-first, failure_action: ${failureAction}, monitor: 5s }
`;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'milvus-e2e-probe-'));
  });
  afterAll(async () => {
    await removeStack({ stack: PROBE_STACK, timeoutMs: 120_000 });
    await rm(directory, { recursive: true, force: true });
  });
  const deploy = async (text: string) => {
    const file = path.join(directory, 'stack.yaml');
    await writeFile(file, text);
    return deployStack({ composeFile: file, stack: PROBE_STACK, timeoutMs: 60_000, resolveImage: 'never' });
  };

  it('converges a service that stays up', async () => {
    const since = new Date();
    expect((await deploy(compose('exec sleep 600'))).ok).toBe(true);
    const result = await waitForConvergence({ stack: PROBE_STACK, timeoutMs: 60_000, settleMs: 3_000, pollMs: 1_000, since });
    expect(result).toMatchObject({ ok: true, services: [{ name: `${PROBE_STACK}_probe`, desired: 1, running: 1, settled: 1 }] });
  });

  it('fails a rolled-back update although docker stack deploy exited 0, with the task error', async () => {
    const since = new Date();
    const deployed = await deploy(compose('echo starting; sleep 1; exit 3'));
    expect(deployed.result.code).toBe(0);
    const result = await waitForConvergence({ stack: PROBE_STACK, timeoutMs: 90_000, settleMs: 3_000, pollMs: 1_000, since });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('rolled-back');
    expect(result.message).toMatch(new RegExp(`^${PROBE_STACK}_probe: update rollback_`));
    // The newest failed task's error carries its last log lines ("starting") when docker gives them in time.
    expect(result.failures.map((failure) => failure.error)).toContainEqual(expect.stringMatching(/^task: non-zero exit \(3\)(; its last lines: starting)?$/));
  });

  it('fails at its timeout when a service never runs, naming the service and the task error', async () => {
    // A new service that exits at once: no update to roll back, so only the timeout can end the wait.
    await removeStack({ stack: PROBE_STACK, timeoutMs: 120_000 });
    const since = new Date();
    expect((await deploy(compose('exit 4'))).ok).toBe(true);
    const started = Date.now();
    const result = await waitForConvergence({ stack: PROBE_STACK, timeoutMs: 15_000, settleMs: 3_000, pollMs: 1_000, since });
    expect(Date.now() - started).toBeLessThan(15_000 + 20_000);
    // The task exits at once but may be caught in its brief `running` moment: 0/1, or 1/1 never settled.
    expect(result).toMatchObject({ ok: false, reason: 'timeout', message: expect.stringMatching(new RegExp(`^not converged after \\d+ s: ${PROBE_STACK}_probe (0/1 running|1/1 running \\(0 settled\\))$`)) });
    if (!result.ok) expect(result.failures.map((failure) => `${failure.service} ${failure.error}`)).toContain(`${PROBE_STACK}_probe task: non-zero exit (4)`);
  });
});
