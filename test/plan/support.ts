// Helpers for the plan tests: before/after fixture pairs, validated, and an in-process CLI with captured output.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandIO } from '../../generator/commands/io.ts';
import { compareRevisions, type Comparison, type PlanContext } from '../../generator/plan/comparison.ts';
import { planEnvironment, type Change } from '../../generator/plan/index.ts';
import { formatProblem } from '../../generator/topology/problems.ts';
import type { Topology } from '../../generator/topology/schema.ts';
import { validateTopology } from '../../generator/topology/validate.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const FIXTURES = 'test/fixtures/plan';

export const fixtureFile = (name: string, side: 'before' | 'after'): string => `${FIXTURES}/${name}/${side}.yaml`;

/** A fixture side, validated; undefined when the side does not exist (an environment added or removed). */
export function loadSide(name: string, side: 'before' | 'after'): Topology | undefined {
  const file = fixtureFile(name, side);
  if (!existsSync(path.join(repoRoot, file))) return undefined;
  const result = validateTopology(file, readFileSync(path.join(repoRoot, file), 'utf8'));
  if (!result.ok) throw new Error(`fixture ${file} is invalid:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.topology;
}

export const PRODUCTION: PlanContext = { environment: 'production' };

export function planFixture(name: string, context: PlanContext = PRODUCTION): Change[] {
  return planEnvironment(loadSide(name, 'before'), loadSide(name, 'after'), context);
}

export function comparisonOf(name: string, context: PlanContext = PRODUCTION): Comparison {
  return compareRevisions(loadSide(name, 'before')!, loadSide(name, 'after')!, context);
}

export interface CapturedIO extends CommandIO {
  stdout: string[];
  stderr: string[];
  /** Everything printed on stdout, as one text. */
  readonly output: string;
}

export function captureIO(cwd: string = repoRoot, env: NodeJS.ProcessEnv = process.env): CapturedIO {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    cwd,
    env,
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    get output() {
      return stdout.join('\n');
    },
  };
}

/** The table row of one change in the markdown, found by its id cell. */
export function rowOf(markdown: string, id: string): string {
  const row = markdown.split('\n').find((line) => line.startsWith('|') && line.includes(`| \`${id}\` |`));
  if (!row) throw new Error(`no row for ${id} in:\n${markdown}`);
  return row;
}
