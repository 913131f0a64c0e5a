// One environment's topology, validated and modelled, for the commands that act on a running cluster (deploy,
// verify). Problems are values, located in the file, for the CLI to print and the actions to annotate.
import { buildModel } from '../model/build.ts';
import type { ClusterModel } from '../model/types.ts';
import type { LocatedProblem } from '../topology/problems.ts';
import type { Topology } from '../topology/schema.ts';
import { validateTopology } from '../topology/validate.ts';
import type { TopologySource } from './pipeline.ts';
import { readEnvironment } from './repository.ts';

export type LoadedEnvironment =
  | { ok: true; source: TopologySource; topology: Topology; model: ClusterModel; warnings: LocatedProblem[] }
  | { ok: false; source: TopologySource; problems: LocatedProblem[] };

export function modelEnvironment(source: TopologySource): LoadedEnvironment {
  const validated = validateTopology(source.file, source.text);
  if (!validated.ok) return { ok: false, source, problems: validated.problems };
  return { ok: true, source, topology: validated.topology, model: buildModel(source.environment, source.file, validated.topology), warnings: validated.warnings };
}

/** environments/NAME.yaml under root; an unknown name throws UsageError (exit 2). */
export async function loadEnvironment(root: string, environment: string): Promise<LoadedEnvironment> {
  return modelEnvironment(await readEnvironment(root, environment));
}
