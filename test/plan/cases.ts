// The plan fixtures: one frozen base (test/fixtures/topologies/production.yaml: production.yaml as it was, so the
// cases hold while environments/ evolves) and one unified diff per case, test/fixtures/plan/<case>.patch, that turns
// the base into the case's two sides. A reader sees the change under test and nothing else.
//
// A patch has up to two sections: `--- base.yaml` / `+++ before.yaml` makes the before side (without it, before
// is the base), and `--- base.yaml` or `--- before.yaml` / `+++ after.yaml` makes the after side. `diff -u` writes
// them. Hunks are placed by their text, not their line numbers: the lines a hunk keeps or removes must occur
// exactly once in the side it patches (add context lines when they do not).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Side = 'before' | 'after';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'plan');
export const BASE = readFileSync(path.resolve(import.meta.dirname, '..', 'fixtures', 'topologies', 'production.yaml'), 'utf8');

/** Cases without a patch: a whole environment appears or disappears (the other side is the base). */
const ABSENT_SIDE: Record<string, Side> = { 'environment-added': 'before', 'environment-removed': 'after' };

export const CASE_NAMES: readonly string[] = [
  ...Object.keys(ABSENT_SIDE),
  ...readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.patch'))
    .map((file) => file.slice(0, -'.patch'.length)),
].sort();

/** One side of a case as topology text, or undefined where the environment does not exist. */
export function caseText(name: string, side: Side): string | undefined {
  if (ABSENT_SIDE[name] !== undefined) return ABSENT_SIDE[name] === side ? undefined : BASE;
  const sections = patchSections(readFileSync(path.join(FIXTURES, `${name}.patch`), 'utf8'), name);
  const before = sections.before ? applyHunks(BASE, sections.before.hunks, `${name}.patch before`) : BASE;
  if (side === 'before') return before;
  if (!sections.after) return before;
  return applyHunks(sections.after.from === 'before' ? before : BASE, sections.after.hunks, `${name}.patch after`);
}

/** Both sides written as <directory>/<case>/{before,after}.yaml, for the CLI; returns the files relative to it. */
export function writeCase(name: string, directory: string): Record<Side, string> {
  mkdirSync(path.join(directory, name), { recursive: true });
  const files = { before: `${name}/before.yaml`, after: `${name}/after.yaml` };
  for (const side of ['before', 'after'] as const) {
    const text = caseText(name, side);
    if (text !== undefined) writeFileSync(path.join(directory, files[side]), text);
  }
  return files;
}

interface Section {
  from: 'base' | 'before';
  hunks: string[][];
}

function patchSections(patch: string, name: string): Partial<Record<Side, Section>> {
  const sections: Partial<Record<Side, Section>> = {};
  let current: Section | undefined;
  const lines = patch.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.startsWith('--- ')) {
      const from = /^--- (base|before)\.yaml/.exec(line)?.[1] as Section['from'] | undefined;
      const to = /^\+\+\+ (before|after)\.yaml/.exec(lines[index + 1] ?? '')?.[1] as Side | undefined;
      if (!from || !to || (to === 'before' && from !== 'base')) throw new Error(`${name}.patch:${index + 1}: expected --- base.yaml/+++ before.yaml or --- base|before.yaml/+++ after.yaml`);
      current = { from, hunks: [] };
      sections[to] = current;
    } else if (line.startsWith('@@')) {
      current?.hunks.push([]);
    } else if (current && current.hunks.length > 0 && /^[ +-]/.test(line)) {
      current.hunks.at(-1)!.push(line);
    }
  }
  return sections;
}

export function applyHunks(text: string, hunks: readonly string[][], where: string): string {
  let lines = text.split('\n');
  for (const hunk of hunks) {
    const old = hunk.filter((line) => !line.startsWith('+')).map((line) => line.slice(1));
    const replacement = hunk.filter((line) => !line.startsWith('-')).map((line) => line.slice(1));
    const at = lines.flatMap((_, index) => (old.every((line, offset) => lines[index + offset] === line) ? [index] : []));
    if (at.length !== 1) throw new Error(`${where}: a hunk's old lines occur ${at.length} times, expected once:\n${old.join('\n')}`);
    lines = [...lines.slice(0, at[0]), ...replacement, ...lines.slice(at[0]! + old.length)];
  }
  return lines.join('\n');
}
