// Shared by the deploy tests: models of the frozen environments, docker output captured from a real engine
// (20.10, client 28), and a scripted docker runner that records what was asked.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterModel } from '../../generator/model/types.ts';
import type { DockerResult, DockerRunner } from '../../generator/docker/runner.ts';
import { modelEnvironment } from '../../generator/workspace/environment.ts';

export { frozenModel, repoRoot } from '../verify/support.ts';

/** The model of a topology text (e.g. the frozen base with edits), for tests that are not about an environment. */
export function topologyModel(text: string, environment = 'test'): ClusterModel {
  const loaded = modelEnvironment({ environment, file: `${environment}.yaml`, text });
  if (!loaded.ok) throw new Error(`invalid topology: ${loaded.problems.map((problem) => problem.message).join('; ')}`);
  return loaded.model;
}

export const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

export const ok = (stdout = ''): DockerResult => ({ code: 0, stdout, stderr: '', timedOut: false, elapsedMs: 1 });
export const failed = (stderr: string, code = 1): DockerResult => ({ code, stdout: '', stderr, timedOut: false, elapsedMs: 1 });

/** Answers by the first matching prefix of the argument list; records every call. */
export function scriptedDocker(script: [string, DockerResult | ((args: readonly string[]) => DockerResult)][]): DockerRunner & { calls: string[] } {
  const calls: string[] = [];
  const runner = (async (args: readonly string[]) => {
    const line = args.join(' ');
    calls.push(line);
    const entry = script.find(([prefix]) => line.startsWith(prefix));
    if (!entry) return failed(`unscripted: docker ${line}`);
    return typeof entry[1] === 'function' ? entry[1](args) : entry[1];
  }) as DockerRunner & { calls: string[] };
  runner.calls = calls;
  return runner;
}
