// Prometheus's and Alertmanager's files into their data dirs and a reload instead of a restart
// (generator/deploy/operations/monitoringFiles.ts), against a scripted swarm: what is created, mounted and removed,
// and what the jobs' output means. On a real swarm: test/e2e/staging/drills.test.ts (the monitoring drill).
import { describe, expect, it } from 'vitest';
import { monitoringServicesOf, reloadMonitoringService, reloadScript, writeMonitoringFiles, writeScript } from '../../generator/deploy/operations/monitoringFiles.ts';
import { frozenText } from '../frozen.ts';
import { failed, ok, scriptedDocker, topologyModel } from './support.ts';

const withMonitoring = `${frozenText('local')}
monitoring:
  prometheus:
    image: prometheus:v3.16.0
    dataDir: /var/lib/milvus-swarm/local/prometheus
    port: 9092
  alertmanager:
    image: alertmanager:v0.35.0
    dataDir: /var/lib/milvus-swarm/local/alertmanager
    port: 9093
`;
const texts = new Map([
  ['prometheus.yml', 'global: {}\n'],
  ['alerts.yml', 'groups: []\n'],
  ['alertmanager.yml', 'route: {}\n'],
]);

describe('the monitoring files', () => {
  const model = topologyModel(withMonitoring, 'local');

  it('are the stack services Prometheus and Alertmanager, each with its data dir and files', () => {
    expect(monitoringServicesOf(model).map((entry) => [entry.name, entry.dataDir, entry.files])).toEqual([
      ['prometheus', '/var/lib/milvus-swarm/local/prometheus', ['prometheus.yml', 'alerts.yml']],
      ['alertmanager', '/var/lib/milvus-swarm/local/alertmanager', ['alertmanager.yml']],
    ]);
    expect(monitoringServicesOf(topologyModel(frozenText('local'), 'local'))).toEqual([]);
  });

  it('travel as content-hashed configs to a job that copies what differs into <dataDir>/config, then the configs go', async () => {
    const docker = scriptedDocker([
      ['config create', ok('')],
      ['service create', ok('')],
      ['service ps', ok('task1')],
      ['inspect', ok(JSON.stringify([{ Status: { State: 'complete' } }]))],
      // Prometheus's job found one file changed, Alertmanager's none.
      ['service logs', (args) => ok(docker.calls.some((call) => call.includes(`--name ${args.at(-1)} `) && call.includes('source=/var/lib/milvus-swarm/local/prometheus,')) ? 'changed alerts.yml\n' : '')],
      ['service rm', ok('')],
      ['config rm', ok('')],
    ]);
    const result = await writeMonitoringFiles(docker, model, texts);
    expect(result).toEqual({ ok: true, written: [{ service: 'prometheus', host: 'any node', changed: ['alerts.yml'] }, { service: 'alertmanager', host: 'any node', changed: [] }] });
    const creates = docker.calls.filter((call) => call.startsWith('config create'));
    // The two services' jobs run side by side: their calls interleave.
    expect(creates.map((call) => call.split(' ').at(-2)).sort()).toEqual([expect.stringMatching(/^milvus_am_conf_[0-9a-f]{12}$/), expect.stringMatching(/^milvus_prom_conf_[0-9a-f]{12}$/), expect.stringMatching(/^milvus_prom_rules_[0-9a-f]{12}$/)]);
    expect(creates[0]).toContain('--label com.docker.stack.namespace=milvus');
    const job = docker.calls.find((call) => call.startsWith('service create') && call.includes('prometheus.yml'))!;
    expect(job).toContain('--mode replicated-job');
    expect(job).toMatch(/--config source=milvus_prom_conf_[0-9a-f]{12},target=\/milvus-swarm-files\/prometheus.yml,mode=0444/);
    expect(job).toContain('--mount type=bind,source=/var/lib/milvus-swarm/local/prometheus,target=/milvus-swarm-data');
    expect(job).toContain(`--entrypoint sh ${model.swarm.helperImage} -c`);
    // The configs are removed once the job is done: nothing uses them.
    expect(docker.calls.filter((call) => call.startsWith('config rm')).map((call) => call.split(' ').length - 2).sort()).toEqual([1, 2]);
  });

  it('a job that fails stops with the service, the host path and why', async () => {
    const docker = scriptedDocker([
      ['config create', failed('Error response from daemon: rpc error: code = AlreadyExists desc = config milvus_prom_conf_x already exists')],
      ['service create', ok('')],
      ['service ps', ok('task1')],
      ['inspect', ok(JSON.stringify([{ Status: { State: 'rejected', Err: 'invalid mount config for type "bind": bind source path does not exist' } }]))],
      ['service rm', ok('')],
      ['config rm', ok('')],
    ]);
    const result = await writeMonitoringFiles(docker, model, texts);
    expect(result).toMatchObject({ ok: false, written: [] });
    expect(!result.ok && result.problem).toBe(
      "prometheus's files on any node (/var/lib/milvus-swarm/local/prometheus/config): the job failed: rejected: invalid mount config for type \"bind\": bind source path does not exist (is /var/lib/milvus-swarm/local/prometheus there? host preparation makes it)",
    );
  });

  it('the copy is atomic per file and says what changed; the reload posts until 200, bounded, and says why not', () => {
    expect(writeScript(['prometheus.yml'])).toBe(
      [
        'set -e',
        'mkdir -p /milvus-swarm-data/config',
        'if ! cmp -s /milvus-swarm-files/prometheus.yml /milvus-swarm-data/config/prometheus.yml; then cp /milvus-swarm-files/prometheus.yml /milvus-swarm-data/config/.prometheus.yml.new && mv -f /milvus-swarm-data/config/.prometheus.yml.new /milvus-swarm-data/config/prometheus.yml && echo "changed prometheus.yml"; fi',
      ].join('\n'),
    );
    expect(reloadScript('alertmanager')).toContain('wget -q -O - --post-data= http://alertmanager:9093/-/reload');
  });

  it('reload: from a job on the stack network; a refusal is a problem with what the service said', async () => {
    const answer = (output: string) =>
      scriptedDocker([
        ['service create', ok('')],
        ['service ps', ok('task1')],
        ['inspect', ok(JSON.stringify([{ Status: { State: 'complete' } }]))],
        ['service logs', ok(output)],
        ['service rm', ok('')],
      ]);
    const good = answer('reloaded prometheus\n');
    expect(await reloadMonitoringService(good, model, 'prometheus')).toEqual({ ok: true });
    expect(good.calls.find((call) => call.startsWith('service create'))).toContain('--network milvus_milvus-cluster-net');
    expect(await reloadMonitoringService(answer('reload failed: wget: server returned error: HTTP/1.1 500 Internal Server Error\n'), model, 'prometheus')).toEqual({
      ok: false,
      problem: 'POST /-/reload was refused 30 times: wget: server returned error: HTTP/1.1 500 Internal Server Error',
    });
  });
});
