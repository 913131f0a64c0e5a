// Helpers for tests that validate topology text and read its problems as the CLI prints them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatProblem } from '../../generator/topology/problems.ts';
import { validateTopology } from '../../generator/topology/validate.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const BASE_FILE = 'test/fixtures/topologies/base.yaml';
export const baseTopology = readFileSync(path.join(repoRoot, BASE_FILE), 'utf8');

/** The base topology with one line (found by its exact text, trimmed) replaced by `replacement` lines. */
export function editBase(edits: Record<string, string | string[]>): string {
  const lines = baseTopology.split('\n');
  for (const [find, replacement] of Object.entries(edits)) {
    const index = lines.findIndex((line) => line.trim() === find);
    if (index === -1) throw new Error(`base.yaml has no line "${find}"`);
    const indent = lines[index]!.match(/^\s*/)![0];
    const replacements = Array.isArray(replacement) ? replacement : [replacement];
    lines.splice(index, 1, ...replacements.map((line) => (line === '' ? '' : indent + line)));
  }
  return lines.join('\n');
}

/** Every problem line, errors and warnings alike, as the CLI prints them. */
export function problemLines(text: string, file = BASE_FILE): string[] {
  const result = validateTopology(file, text);
  return (result.ok ? result.warnings : result.problems).map(formatProblem);
}

export function readRepoFile(relative: string): string {
  return readFileSync(path.join(repoRoot, relative), 'utf8');
}
