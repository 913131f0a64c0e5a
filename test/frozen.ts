// Frozen copies of the committed environments (test/fixtures/topologies/{production,local}.yaml), for every test
// that is not about the committed files: those hold while an operator edits environments/ (pins an image, adds a
// host). They are read as if they were environments/NAME.yaml, so messages name the file an operator would see.
// Tests that *are* about the committed environments (test/unit/environments.test.ts, the golden rendered/ tests)
// assert properties: valid, renders, passes its rules, matches rendered/.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { ClusterModel } from '../generator/model/types.ts';
import type { Topology } from '../generator/topology/schema.ts';
import { modelEnvironment } from '../generator/workspace/environment.ts';
import { renderSource, renderTree } from '../generator/workspace/pipeline.ts';
import { fileMode } from '../generator/workspace/tree.ts';
import { readTemplates } from '../generator/workspace/repository.ts';

export type FrozenEnvironment = 'production' | 'local';
export const FROZEN_ENVIRONMENTS: readonly FrozenEnvironment[] = ['local', 'production'];

const repoRoot = path.resolve(import.meta.dirname, '..');
/** The templates next to the generator, as `render` reads them. */
const templates = await readTemplates();

export const frozenFile = (environment: FrozenEnvironment) => `test/fixtures/topologies/${environment}.yaml`;

export const frozenText = (environment: FrozenEnvironment): string => readFileSync(path.join(repoRoot, frozenFile(environment)), 'utf8');

function loadFrozen(environment: FrozenEnvironment) {
  const loaded = modelEnvironment({ environment, file: `environments/${environment}.yaml`, text: frozenText(environment) });
  if (!loaded.ok) throw new Error(`${frozenFile(environment)} is invalid`);
  return loaded;
}

export const frozenModel = (environment: FrozenEnvironment): ClusterModel => loadFrozen(environment).model;
export const frozenTopology = (environment: FrozenEnvironment): Topology => loadFrozen(environment).topology;

/**
 * A repository to run commands in: environments/ holds the frozen copies, rendered/ what the generator renders
 * from them, conf/ the templates. Each call makes a fresh copy, removed after the test.
 */
export function frozenRepositories(prefix: string): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  return () => {
    const directory = mkdtempSync(path.join(tmpdir(), prefix));
    made.push(directory);
    writeFrozenRepository(directory);
    return directory;
  };
}

let renderedFrozen: Map<string, string> | undefined;

function writeFrozenRepository(directory: string): void {
  cpSync(path.join(repoRoot, 'conf'), path.join(directory, 'conf'), { recursive: true });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
    // As the writer does: scripts executable (check compares modes too).
    writeFileSync(path.join(directory, file), text, { mode: fileMode(file) });
  };
  for (const environment of FROZEN_ENVIRONMENTS) write(`environments/${environment}.yaml`, frozenText(environment));
  renderedFrozen ??= renderFrozen();
  for (const [file, text] of renderedFrozen) write(`rendered/${file}`, text);
}

/** rendered/ of the frozen environments, once per test file. */
function renderFrozen(): Map<string, string> {
  const results = FROZEN_ENVIRONMENTS.map((environment) => {
    const result = renderSource({ environment, file: `environments/${environment}.yaml`, text: frozenText(environment) }, templates);
    if (!result.ok) throw new Error(`${frozenFile(environment)} does not render`);
    return result;
  });
  return renderTree(results);
}
