// One topology file's text → its rendered files, or the problems that stop it. Pure: callers do the reading.
import { buildModel } from '../model/build.ts';
import type { ClusterModel } from '../model/types.ts';
import { ENVIRONMENT_FILES, renderEnvironment, type Templates } from '../render/index.ts';
import { renderTopologySchema } from '../render/schemaJson.ts';
import type { LocatedProblem } from '../topology/problems.ts';
import type { Topology } from '../topology/schema.ts';
import { validateTopology } from '../topology/validate.ts';

export interface TopologySource {
  environment: string;
  /** As printed in problems and generated headers, e.g. environments/production.yaml. */
  file: string;
  text: string;
}

export type RenderedTree = Map<string, string>;

export type EnvironmentResult =
  | { ok: true; environment: string; topology: Topology; model: ClusterModel; files: RenderedTree; warnings: LocatedProblem[] }
  | { ok: false; environment: string; problems: LocatedProblem[] };

export function renderSource(source: TopologySource, templates: Templates): EnvironmentResult {
  const validated = validateTopology(source.file, source.text);
  if (!validated.ok) return { ok: false, environment: source.environment, problems: validated.problems };
  const model = buildModel(source.environment, source.file, validated.topology);
  return {
    ok: true,
    environment: source.environment,
    topology: validated.topology,
    model,
    files: renderEnvironment(model, templates),
    warnings: validated.warnings,
  };
}

export const SCHEMA_FILE = 'topology.schema.json';

/** The whole rendered/ folder for these environments: the schema plus one folder per environment. */
export function renderTree(results: readonly Extract<EnvironmentResult, { ok: true }>[]): RenderedTree {
  const tree: RenderedTree = new Map([[SCHEMA_FILE, renderTopologySchema()]]);
  for (const result of results) {
    for (const name of ENVIRONMENT_FILES) tree.set(`${result.environment}/${name}`, result.files.get(name)!);
  }
  return tree;
}
