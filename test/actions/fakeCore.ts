// @actions/core for the action tests, as typescript-action tests its actions: inputs come from a map, and everything
// an action sets (outputs, failure, secrets, log lines, annotations) is a spy the test asserts on. The job summary is
// @actions/core's own, writing to a file the test reads: the HTML a workflow run would show.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import type * as Core from '@actions/core';

/** The `with:` of the step under test. */
export const inputs = new Map<string, string>();
/** Every input name the action asked for, to compare with its action.yml. */
export const inputsRead = new Set<string>();

/** The factory for `vi.mock('@actions/core', …)`: the real module with its I/O replaced by spies. */
export function fakeCore(actual: typeof Core) {
  return {
    ...actual,
    // As @actions/core does: required and empty throws, values are trimmed.
    getInput: vi.fn((name: string, options?: Core.InputOptions) => {
      inputsRead.add(name);
      const value = inputs.get(name) ?? '';
      if (options?.required && value === '') throw new Error(`Input required and not supplied: ${name}`);
      return value.trim();
    }),
    setOutput: vi.fn(),
    setFailed: vi.fn(),
    setSecret: vi.fn(),
    info: vi.fn(),
    warning: vi.fn(),
    error: vi.fn(),
    debug: vi.fn(),
    isDebug: vi.fn(() => false),
  };
}

const summaryDir = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-action-'));
const summaryFile = path.join(summaryDir, 'summary.html');
writeFileSync(summaryFile, '');
process.env.GITHUB_STEP_SUMMARY = summaryFile;
afterAll(() => rmSync(summaryDir, { recursive: true, force: true }));

/** Before each test: the step's inputs, and an empty summary. */
export function startStep(core: typeof Core, stepInputs: Record<string, string>): void {
  vi.clearAllMocks();
  inputs.clear();
  inputsRead.clear();
  for (const [name, value] of Object.entries(stepInputs)) inputs.set(name, value);
  core.summary.emptyBuffer();
  writeFileSync(summaryFile, '');
}

/** What the step wrote to its job summary. */
export const summaryWritten = (): string => readFileSync(summaryFile, 'utf8');

/** Everything the step put in its log, in order. */
export const logged = (core: typeof Core): string => vi.mocked(core.info).mock.calls.map(([line]) => line).join('\n');

/** The runner's environment for every test of the file (vitest's stubs), put back as it was afterwards. */
export function runnerEnvironment(values: Record<string, string>): void {
  beforeAll(() => {
    for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });
}
