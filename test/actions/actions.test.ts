// The JavaScript actions as shipped: their committed bundles are what a fresh build produces (like rendered/), they
// run on node24 (Node 20 is end-of-life since 2026-04-30; the bundles target node20 syntax, so act v0.2.89, which
// knows only node20, runs them from a copy whose action.yml says so), and the verify bundle carries the files it loads at run time. What run() does is tested by calling
// it (deployAction.test.ts, verifyAction.test.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS, staleBundles } from '../../.github/actions/bundle.ts';
import { actionDir, actionYml } from './actionYml.ts';

describe('action bundles', () => {
  it('match a fresh esbuild build (npm run bundle:check)', async () => {
    expect(await staleBundles()).toEqual([]);
  }, 120_000);
});

describe.each(ACTIONS)('action %s', (name) => {
  it('runs the committed bundle on node24, with the environment required', () => {
    const action = actionYml(name);
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(action.inputs.environment?.required).toBe(true);
  });
});

describe('the verify bundle', () => {
  it('ships the etcd3 .proto files it loads at run time', () => {
    expect(readFileSync(path.join(actionDir('verify'), 'dist', 'proto', 'rpc.proto'), 'utf8')).toMatch(/service KV/);
    expect(readFileSync(path.join(actionDir('verify'), 'dist', 'index.js'), 'utf8')).toContain('`${__dirname}/proto/rpc.proto`');
  });
});
