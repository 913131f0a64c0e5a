// The load balancer's entrypoint (generator/model/minio.ts) is a shell script inside the stack file: it must parse,
// and it must exec nginx once the MinIO nodes' names resolve. A syntax error there exits 2 on every proxy task — seen
// once on the staging swarm, where nothing else in the unit suite looked at it.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { modelEnvironment } from '../../generator/workspace/environment.ts';
import { frozenFile, frozenText } from '../frozen.ts';

function entrypoint(): string[] {
  const loaded = modelEnvironment({ environment: 'production', file: frozenFile('production'), text: frozenText('production') });
  if (!loaded.ok) throw new Error(loaded.problems.map((problem) => problem.message).join('; '));
  const proxy = loaded.model.services.find((service) => service.name === loaded.model.minio.proxy.name);
  if (!proxy?.entrypoint) throw new Error('the load balancer has no entrypoint');
  return proxy.entrypoint;
}

describe("the load balancer's entrypoint", () => {
  it('is sh -c with a script that parses', () => {
    const [shell, flag, script] = entrypoint();
    expect([shell, flag]).toEqual(['sh', '-c']);
    const parsed = spawnSync('sh', ['-n', '-c', script!], { encoding: 'utf8' });
    expect(parsed.status, parsed.stderr).toBe(0);
  });

  it("execs the command it is given once every node's name resolves", () => {
    const [, , script, name] = entrypoint();
    // The nodes' names as names this machine resolves: the wait ends at once.
    const resolvable = script!.replace(/for name in [^;]+;/, 'for name in localhost localhost;');
    const run = spawnSync('sh', ['-c', resolvable, name!, 'echo', 'nginx would start'], { encoding: 'utf8', timeout: 10_000 });
    expect({ status: run.status, out: run.stdout.trim(), err: run.stderr }).toEqual({ status: 0, out: 'nginx would start', err: '' });
  });
});
