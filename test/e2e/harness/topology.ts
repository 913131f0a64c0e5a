// The local environment's model, through the same library the CLI uses (validateTopology + buildModel).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildModel } from '../../../generator/model/build.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import { formatProblem } from '../../../generator/topology/problems.ts';
import { validateTopology } from '../../../generator/topology/validate.ts';
import { ENVIRONMENT, REPO_ROOT } from './paths.ts';

export async function loadModel(environment = ENVIRONMENT): Promise<ClusterModel> {
  const file = `environments/${environment}.yaml`;
  const validated = validateTopology(file, await readFile(path.join(REPO_ROOT, file), 'utf8'));
  if (!validated.ok) throw new Error(`${file} is invalid:\n${validated.problems.map(formatProblem).join('\n')}`);
  return buildModel(environment, file, validated.topology);
}

export const renderedDir = (environment = ENVIRONMENT) => path.join(REPO_ROOT, 'rendered', environment);
export const stackFile = (environment = ENVIRONMENT) => path.join(renderedDir(environment), 'stack.yaml');

/** Service name → full swarm name, e.g. etcd1 → milvus_etcd1. */
export const swarmName = (model: ClusterModel, service: string) => `${model.stack}_${service}`;
