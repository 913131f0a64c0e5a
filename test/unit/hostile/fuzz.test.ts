// Many hostile inputs at once, deterministically (no randomness, no timing): every scalar of the base fixture replaced
// by each value no topology may hold, the file cut at every line, and hostile command lines. The properties: never a
// thrown error or a stack trace, every problem one located line, exit 1 or 2, nothing written.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { main } from '../../../generator/cli.ts';
import { formatProblem } from '../../../generator/topology/problems.ts';
import { validateTopology } from '../../../generator/topology/validate.ts';
import { readTree } from '../../../generator/workspace/tree.ts';
import { baseTopology } from '../support.ts';
import { scratchRepositories } from './support.ts';

const scratchRepository = scratchRepositories('milvus-swarm-fuzz-');

/** Values that are wrong wherever they stand, as YAML source text. */
const ALWAYS_WRONG = ['.nan', '.inf', '-1e400', '"a\\u0000b"', '"\\e[31mred"', '"x\\u202ey"', '"\\u200b"', '!env X', '!!binary aGk=', '!!int milvus', '*nowhere', '{ __proto__: 1 }'];

/** Where each scalar value of the base fixture starts and ends in its text. */
function scalarRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  const visit = (node: Node | null | undefined) => {
    if (isMap(node)) for (const pair of node.items) if (isPair(pair)) visit(pair.value as Node);
    if (isSeq(node)) for (const item of node.items) visit(item as Node);
    if (isScalar(node) && node.range) ranges.push([node.range[0], node.range[1]]);
  };
  visit(parseDocument(text).contents as Node);
  return ranges;
}

const MUTATIONS = scalarRanges(baseTopology).flatMap(([start, end]) => ALWAYS_WRONG.map((value) => `${baseTopology.slice(0, start)}${value}${baseTopology.slice(end)}`));

const oneLocatedLine = /^[^\n]+:\d+:\d+: (error|warning): [^\n]+$/;

describe('every scalar of the base fixture, replaced by each value no topology may hold', () => {
  it(`refuses all ${MUTATIONS.length} mutations with located, one-line problems and never throws`, () => {
    expect(MUTATIONS.length).toBeGreaterThan(300);
    for (const text of MUTATIONS) {
      const result = validateTopology('fuzz.yaml', text);
      expect(result.ok, text).toBe(false);
      if (result.ok) continue;
      expect(result.problems.length, text).toBeGreaterThan(0);
      for (const problem of result.problems) {
        expect(problem.line, text).toBeGreaterThanOrEqual(1);
        expect(problem.column, text).toBeGreaterThanOrEqual(1);
        expect(formatProblem(problem), text).toMatch(oneLocatedLine);
      }
    }
  });
});

describe('the base fixture cut after every line', () => {
  it('validates or refuses each cut, never throws', () => {
    const lines = baseTopology.split('\n');
    for (let count = 0; count <= lines.length; count++) {
      const text = lines.slice(0, count).join('\n');
      const result = validateTopology('cut.yaml', text);
      if (!result.ok) for (const problem of result.problems) expect(formatProblem(problem), text).toMatch(oneLocatedLine);
    }
  });
});

async function run(cwd: string, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, out: (line) => out.push(line), err: (line) => err.push(line), env: {} });
  return { code, out, err };
}

describe('through the CLI', () => {
  it('every 13th mutation: exit 1, located lines and a count, no stack trace, nothing written', async () => {
    const directory = scratchRepository();
    mkdirSync(path.join(directory, 'in'));
    const before = await readTree(path.join(directory, 'rendered'));
    for (let index = 0; index < MUTATIONS.length; index += 13) {
      writeFileSync(path.join(directory, 'in', 'fuzz.yaml'), MUTATIONS[index]!);
      const result = await run(directory, ['render', '--topology', 'in/fuzz.yaml', '--out', 'out']);
      expect(result.code, MUTATIONS[index]).toBe(1);
      const lines = result.err;
      expect(lines.at(-1)).toMatch(/^\d+ errors?, \d+ warnings?: nothing was written$/);
      for (const line of lines.slice(0, -1)) expect(line).toMatch(oneLocatedLine);
      expect(lines.join('\n')).not.toMatch(/\n\s+at /);
    }
    expect((await readTree(path.join(directory, 'out'))).size).toBe(0);
    expect(await readTree(path.join(directory, 'rendered'))).toEqual(before);
  });

  it.each([
    [['render', '--env', '../../etc/passwd']],
    [['render', '--env=-rf']],
    [['render', '--env', 'a\nb']],
    [['render', '--topology', '/etc/hostname', '--out', 'out']],
    [['render', '--topology', '/dev/null', '--out', '/dev/null']],
    [['render', '--topology', 'environments', '--out', 'out']],
    [['render', '--topology', 'environments/local.yaml', '--out', '.']],
    [['render', '--topology', 'environments/local.yaml', '--out', '/']],
    [['render', '--topology', 'environments/local.yaml', '--out', 'environments/local.yaml']],
    [['render', '--topology', 'environments/local.yaml', '--out', '']],
    [['render', '--topology']],
    [['plan', '--from', 'environments/local.yaml', '--to', '../x/Bad Name.yaml']],
    [['deploy', '--env', '$(id)']],
    [['verify', '--env', 'x/../../y']],
    [['check', '--bogus']],
  ])('%j: exit 1 or 2, one line, no stack trace, nothing written', async (argv) => {
    const directory = scratchRepository();
    const before = await readTree(path.join(directory, 'rendered'));
    const result = await run(directory, argv);
    expect([1, 2]).toContain(result.code);
    const errors = result.err.filter((line) => !line.includes(': warning: '));
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) expect(line).not.toContain('\n');
    expect(errors.join('\n')).not.toMatch(/\n\s+at /);
    expect(await readTree(path.join(directory, 'rendered'))).toEqual(before);
    expect((await readTree(path.join(directory, 'out'))).size).toBe(0);
  });
});
