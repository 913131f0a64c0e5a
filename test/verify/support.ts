// Shared by the verify tests: the repository's own environments as models, and the captured etcdctl/MinIO outputs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterModel } from '../../generator/model/types.ts';
import { loadEnvironment } from '../../generator/workspace/environment.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export async function environmentModel(environment: 'local' | 'production'): Promise<ClusterModel> {
  const loaded = await loadEnvironment(repoRoot, environment);
  if (!loaded.ok) throw new Error(`environments/${environment}.yaml is invalid`);
  return loaded.model;
}

/** Output captured from etcd 3.5.5 / MinIO RELEASE.2023-03-20 run by hand (endpoints renamed to the stack's). */
export const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
