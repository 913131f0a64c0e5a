// Helpers for the plan tests: the cases' before/after sides (cases.ts), validated, and an in-process CLI with captured output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { CommandIO } from '../../generator/commands/io.ts';
import { compareRevisions, type Comparison, type PlanContext } from '../../generator/plan/comparison.ts';
import { planEnvironment, planEnvironmentSteps, type Change, type Step } from '../../generator/plan/index.ts';
import { formatProblem } from '../../generator/topology/problems.ts';
import type { Topology } from '../../generator/topology/schema.ts';
import { validateTopology } from '../../generator/topology/validate.ts';
import { caseText, writeCase, type Side } from './cases.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
/** A case's side, validated; undefined when the side does not exist (an environment added or removed). */
export function loadSide(name: string, side: Side): Topology | undefined {
  const text = caseText(name, side);
  if (text === undefined) return undefined;
  const file = `${name}/${side}.yaml`;
  const result = validateTopology(file, text);
  if (!result.ok) throw new Error(`plan case ${file} is invalid:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.topology;
}

/**
 * A folder where cases are written as <case>/before.yaml and <case>/after.yaml for the CLI (`plan --from --to`),
 * removed after the test file; run the CLI with it as the working directory and the paths `caseFiles` returns.
 */
export const CASES_DIR = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-plan-cases-'));
afterAll(() => rmSync(CASES_DIR, { recursive: true, force: true }));

export const caseFiles = (name: string): Record<Side, string> => writeCase(name, CASES_DIR);

export const PRODUCTION: PlanContext = { environment: 'production' };

export function planFixture(name: string, context: PlanContext = PRODUCTION): Change[] {
  return planEnvironment(loadSide(name, 'before'), loadSide(name, 'after'), context);
}

/** The steps deploy runs for a case, in order (the same values the plan shows). */
export function stepsFixture(name: string, context: PlanContext = PRODUCTION): Step[] {
  return planEnvironmentSteps(loadSide(name, 'before'), loadSide(name, 'after'), context);
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
