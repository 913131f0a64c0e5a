// `check` sees everything about rendered/ that git would commit: contents, missing and stray files, the executable
// bit of prepare-hosts.sh, and entries that are not files at all (a symbolic link, a pipe) — without following a
// link or reading a pipe, and within bounds.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceCli } from '../../cliProcess.ts';
import { main } from '../../../generator/cli.ts';
import { repoRoot } from '../support.ts';
import { scratchRepositories } from './support.ts';

const scratchRepository = scratchRepositories('milvus-swarm-rendered-');

async function check(cwd: string) {
  const err: string[] = [];
  const code = await main(['check'], { cwd, out: () => undefined, err: (line) => err.push(line), env: {} });
  return { code, lines: err.filter((line) => !/: warning: /.test(line)) };
}

describe('check', () => {
  it('notices prepare-hosts.sh losing its executable bit', async () => {
    const directory = scratchRepository();
    chmodSync(path.join(directory, 'rendered/local/prepare-hosts.sh'), 0o644);
    expect(await check(directory)).toEqual({
      code: 1,
      lines: [
        'mode: rendered/local/prepare-hosts.sh is not executable (the generator writes it 0755; git records the bit)',
        '1 file differs from what the generator renders: run `npx milvus-swarm render` and commit rendered/',
      ],
    });
  });

  it('notices a file gaining one', async () => {
    const directory = scratchRepository();
    chmodSync(path.join(directory, 'rendered/local/stack.yaml'), 0o755);
    expect((await check(directory)).lines[0]).toBe('mode: rendered/local/stack.yaml is executable (the generator writes it 0644; git records the bit)');
  });

  it('reports a symbolic link where a file belongs, without following it', async () => {
    const directory = scratchRepository();
    const file = path.join(directory, 'rendered/local/stack.yaml');
    writeFileSync(path.join(directory, 'copy.yaml'), readFileSync(file));
    unlinkSync(file);
    symlinkSync(path.join(directory, 'copy.yaml'), file);
    expect((await check(directory)).lines).toEqual([
      'changed: rendered/local/stack.yaml (a symbolic link, not a file)',
      '1 file differs from what the generator renders: run `npx milvus-swarm render` and commit rendered/',
    ]);
  });

  it('reports a symbolic link to /dev/zero and a pipe as stray, never reading them', () => {
    const directory = scratchRepository();
    symlinkSync('/dev/zero', path.join(directory, 'rendered/local/zero'));
    expect(spawnSync('mkfifo', [path.join(directory, 'rendered/local/pipe')]).status).toBe(0);
    // A subprocess: a check that reads the pipe or /dev/zero fails this test instead of hanging the suite.
    const cli = sourceCli(['check']);
    const result = spawnSync(cli.command, cli.args, { cwd: directory, encoding: 'utf8', timeout: 240_000 });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('stray'))).toEqual([
      'stray: rendered/local/pipe (a pipe; the generator does not produce it)',
      'stray: rendered/local/zero (a symbolic link; the generator does not produce it)',
    ]);
  }, 300_000);

  it('reports folders nested deeper than the generator writes as one stray entry, and stops there', async () => {
    const directory = scratchRepository();
    const deep = path.join(directory, 'rendered/local', ...Array.from({ length: 30 }, (_, index) => `d${index}`));
    mkdirSync(deep, { recursive: true });
    writeFileSync(path.join(deep, 'x'), 'x');
    expect((await check(directory)).lines).toEqual([
      'stray: rendered/local/d0/d1/d2/d3/d4/d5/d6/ (folders nested deeper than 8; the generator does not produce it)',
      '1 file differs from what the generator renders: run `npx milvus-swarm render` and commit rendered/',
    ]);
    rmSync(path.join(directory, 'rendered/local/d0'), { recursive: true });
  });
});
