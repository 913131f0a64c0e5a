// Hostile YAML: every problem is one `FILE:LINE:COL: error:` line — alias bombs and undefined aliases too; tags a
// topology has no use for are errors, not silently strings; `__proto__` is an unknown key, not dropped; a file far
// larger than any topology is refused before it is parsed.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sourceCli } from '../../cliProcess.ts';
import { main } from '../../../generator/cli.ts';
import { MAX_TOPOLOGY_BYTES } from '../../../generator/topology/load.ts';
import { validateTopology } from '../../../generator/topology/validate.ts';
import { readTree } from '../../../generator/workspace/tree.ts';
import { baseTopology, editBase, repoRoot } from '../support.ts';
import { errorLines, F, scratchRepositories } from './support.ts';

const scratchRepository = scratchRepositories('milvus-swarm-yaml-');

async function run(cwd: string, ...argv: string[]) {
  const err: string[] = [];
  const out: string[] = [];
  const code = await main(argv, { cwd, out: (line) => out.push(line), err: (line) => err.push(line), env: {} });
  return { code, out, err };
}

const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
  '',
].join('\n');

describe('aliases', () => {
  it('reports an alias bomb as one located line', () => {
    expect(errorLines(ALIAS_BOMB)).toEqual([
      `${F}:2:8: error: b[0]: YAML: the aliases expand to more than 100 copies (an alias bomb?): write the values out`,
    ]);
  });

  it('reports an alias to no anchor where it stands, with its path', () => {
    expect(errorLines(editBase({ 'dataDir: /data/etcd': 'dataDir: *nope' }))).toEqual([
      `${F}:15:12: error: etcd.dataDir: YAML: alias *nope refers to no anchor: define &nope before it`,
    ]);
  });

  it('still lets anchors and aliases share a value', () => {
    const text = editBase({
      '- drives: [/data/disk1, /data/disk2]': '- drives: &drives [/data/disk1, /data/disk2]',
      '- { name: minio1, host: host-a }': '- { name: minio1, host: host-a, drives: *drives }',
    });
    expect(errorLines(text)).toEqual([]);
  });

  it('through the CLI: exit 1, the located line and a count, no "milvus-swarm: Excessive alias count"', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'bomb.yaml'), ALIAS_BOMB);
    const result = await run(directory, 'render', '--topology', 'bomb.yaml', '--out', 'out');
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      'bomb.yaml:2:8: error: b[0]: YAML: the aliases expand to more than 100 copies (an alias bomb?): write the values out',
      '1 error, 0 warnings: nothing was written',
    ]);
  });
});

describe('tags', () => {
  it.each([
    ['!env X', '!env'],
    ['!!js/function "function () {}"', '!!js/function'],
    ['!!binary aGk=', '!!binary'],
    ['!!set { a }', '!!set'],
    ['!!timestamp 2001-12-14', '!!timestamp'],
    ['!!omap [ a: 1 ]', '!!omap'],
  ])('refuses %s', (value, tag) => {
    expect(errorLines(editBase({ 'dataDir: /data/etcd': `dataDir: ${value}` }))).toEqual([
      `${F}:15:12: error: etcd.dataDir: YAML: tag ${tag} is not allowed: a topology holds strings, numbers, booleans, lists and mappings`,
    ]);
  });

  it.each([
    ['!!int milvus', '!!int', '"milvus"'],
    ['!!float x', '!!float', '"x"'],
    ['!!bool yes', '!!bool', '"yes"'],
  ])('refuses %s: a core tag that does not fit its value', (value, tag, shown) => {
    expect(errorLines(editBase({ 'dataDir: /data/etcd': `dataDir: ${value}` }))).toEqual([
      `${F}:15:12: error: etcd.dataDir: YAML: ${shown} is not a valid ${tag}`,
    ]);
  });

  it('accepts the core tags where they fit (!!str forces a string)', () => {
    expect(errorLines(editBase({ 'dataDir: /data/etcd': 'dataDir: !!str /data/etcd', 'image: etcd:v3.5.5': 'image: !!str etcd:v3.5.5' }))).toEqual([]);
  });
});

describe('keys', () => {
  it('reports __proto__ at the top as an unknown key, not dropped', () => {
    const lines = errorLines(`${baseTopology}__proto__: { stack: other }\n`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${F}:38:1: error: __proto__: unknown key "__proto__"; expected one of: stack, network,`));
  });

  it('reports __proto__ inside a mapping of free keys (minio.env), where the schema alone would drop it', () => {
    const text = editBase({ 'consoleUrl: http://10.0.0.10:9090': ['consoleUrl: http://10.0.0.10:9090', 'env: { __proto__: { MINIO_X: "1" } }'] });
    const lines = errorLines(text);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${F}:25:10: error: minio\\.env\\.__proto__: unknown key "__proto__"`));
  });

  it('refuses a key that is a list or a mapping, without a Node warning', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      expect(errorLines(`${baseTopology}? [a, b]\n: 1\n`)).toEqual([`${F}:38:3: error: (root): YAML: a mapping key must be a plain string, not a list or mapping`]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('size', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses a topology over 1 MiB at once, before parsing it', () => {
    const text = `${baseTopology}# ${'x'.repeat(MAX_TOPOLOGY_BYTES)}\n`;
    expect(errorLines(text)).toEqual([
      `${F}:1:1: error: (root): the file is larger than 1 MiB (1048576 bytes); a topology is a few KiB: is this the right file?`,
    ]);
  });

  it('accepts a topology just under the limit', () => {
    const padding = MAX_TOPOLOGY_BYTES - Buffer.byteLength(baseTopology) - 4;
    expect(errorLines(`${baseTopology}# ${'x'.repeat(padding)}\n`)).toEqual([]);
  });

  it('through the CLI: a 20 MB file is one located line, exit 1, nothing written', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'big.yaml'), `stack: milvus\nhosts:\n${'  - { name: h, ip: 10.0.0.1 }\n'.repeat(700_000)}`);
    const before = await readTree(path.join(directory, 'rendered'));
    const result = await run(directory, 'render', '--topology', 'big.yaml', '--out', 'out');
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      'big.yaml:1:1: error: (root): the file is larger than 1 MiB (1048576 bytes); a topology is a few KiB: is this the right file?',
      '1 error, 0 warnings: nothing was written',
    ]);
    expect(await readTree(path.join(directory, 'rendered'))).toEqual(before);
  });
});

describe('reading', () => {
  it('reads at most 1 MiB of a topology: --topology /dev/zero is refused, not read forever', () => {
    const directory = scratchRepository();
    // A subprocess, so a reader that never stops fails this test instead of hanging the suite (the bound is a guard only).
    const cli = sourceCli(['render', '--topology', '/dev/zero', '--out', 'out']);
    const result = spawnSync(cli.command, cli.args, { cwd: directory, encoding: 'utf8', timeout: 240_000 });
    expect(result.stderr.split('\n')[0]).toBe('/dev/zero:1:1: error: (root): the file is larger than 1 MiB (1048576 bytes); a topology is a few KiB: is this the right file?');
    expect(result.status).toBe(1);
    expect(existsSync(path.join(directory, 'out'))).toBe(false);
  }, 300_000);
});

describe('nesting', () => {
  it('reports a file nested thousands deep as located problems, not a crash', () => {
    const result = validateTopology(F, `stack: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(result.ok).toBe(false);
    if (!result.ok) for (const problem of result.problems) expect(problem.line).toBeGreaterThan(0);
  });
});
