// The JavaScript actions: their committed bundles are what a fresh build produces (like rendered/), and each
// action.yml declares exactly the inputs its run() reads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTIONS, staleBundles } from '../../.github/actions/bundle.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const actionDir = (name: string) => path.join(repoRoot, '.github', 'actions', name);

describe('action bundles', () => {
  it('match a fresh esbuild build (npm run bundle:check)', async () => {
    expect(await staleBundles()).toEqual([]);
  }, 120_000);
});

describe.each(ACTIONS)('action %s', (name) => {
  const action = parse(readFileSync(path.join(actionDir(name), 'action.yml'), 'utf8')) as {
    inputs: Record<string, { required?: boolean }>;
    runs: { using: string; main: string };
  };
  const source = readFileSync(path.join(actionDir(name), 'src', 'main.ts'), 'utf8');

  it('runs the committed bundle on node20', () => {
    expect(action.runs).toEqual({ using: 'node20', main: 'dist/index.js' });
  });

  it('declares exactly the inputs run() reads', () => {
    const read = [...source.matchAll(/core\.getInput\('([^']+)'/g)].map((match) => match[1]).sort();
    expect(Object.keys(action.inputs).sort()).toEqual([...new Set(read)]);
    expect(action.inputs.environment?.required).toBe(true);
  });

  it('turns any error into core.setFailed, with the message only', () => {
    expect(source).toMatch(/catch \(error\) \{\n\s+core\.setFailed\(messageOf\(error\)\);/);
  });
});

describe('the verify action', () => {
  it('masks both credentials before anything can print them', () => {
    const source = readFileSync(path.join(actionDir('verify'), 'src', 'main.ts'), 'utf8');
    const masked = source.indexOf('core.setSecret(credentials.secretKey)');
    expect(masked).toBeGreaterThan(0);
    expect(source).toContain('core.setSecret(credentials.accessKey)');
    expect(masked).toBeLessThan(source.indexOf('runVerify('));
  });

  it('ships the etcd3 .proto files its bundle loads at run time', () => {
    expect(readFileSync(path.join(actionDir('verify'), 'dist', 'proto', 'rpc.proto'), 'utf8')).toMatch(/service KV/);
    expect(readFileSync(path.join(actionDir('verify'), 'dist', 'index.js'), 'utf8')).toContain('`${__dirname}/proto/rpc.proto`');
  });
});
