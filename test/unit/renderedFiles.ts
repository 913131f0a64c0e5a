// Renders topologies in memory for tests, exactly as the CLI does.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { renderSource, type EnvironmentResult } from '../../generator/workspace/pipeline.ts';
import { readTemplates } from '../../generator/workspace/repository.ts';
import { frozenText, type FrozenEnvironment } from '../frozen.ts';
import { readRepoFile, repoRoot } from './support.ts';

export type Rendered = Extract<EnvironmentResult, { ok: true }>;

export async function renderFile(file: string, environment = path.basename(file, '.yaml')): Promise<Rendered> {
  const result = renderSource({ environment, file, text: readRepoFile(file) }, await readTemplates());
  if (!result.ok) throw new Error(`${file} does not render: ${result.problems.map((p) => p.message).join('; ')}`);
  return result;
}

/** A frozen copy of an environment (../frozen.ts), rendered as if it were environments/NAME.yaml. */
export async function renderFrozen(environment: FrozenEnvironment): Promise<Rendered> {
  const result = renderSource({ environment, file: `environments/${environment}.yaml`, text: frozenText(environment) }, await readTemplates());
  if (!result.ok) throw new Error(`the frozen ${environment} does not render`);
  return result;
}

export const committedEnvironments = () =>
  readdirSync(path.join(repoRoot, 'environments'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => name.slice(0, -5));

/** Every topology the tests render: the committed environments and the fixtures that must render. */
export const renderableTopologies = () => [
  ...committedEnvironments().map((environment) => `environments/${environment}.yaml`),
  'test/fixtures/topologies/base.yaml',
  'test/fixtures/topologies/five-members-two-pools.yaml',
  'test/fixtures/topologies/monitoring.yaml',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const parseStack = (rendered: Rendered): any => parse(rendered.files.get('stack.yaml')!);
