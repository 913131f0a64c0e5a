// `render --out DIR` replaces DIR: it accepts a missing path or a folder holding only what the generator writes, and
// refuses everything else (exit 2) without touching it — a file, a device, a symbolic link, a read-only folder,
// /proc. Every file-system loop is bounded: nothing spins.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceCli } from '../../cliProcess.ts';
import { ENVIRONMENT_FILES, ENVIRONMENT_FOLDERS } from '../../../generator/render/index.ts';
import { main } from '../../../generator/cli.ts';
import { repoRoot } from '../support.ts';
import { scratchRepositories } from './support.ts';

const scratchRepository = scratchRepositories('milvus-swarm-out-');
const isRoot = process.getuid?.() === 0;

async function render(cwd: string, out: string) {
  const err: string[] = [];
  const out_: string[] = [];
  const code = await main(['render', '--topology', 'environments/local.yaml', '--out', out], { cwd, out: (line) => out_.push(line), err: (line) => err.push(line), env: {} });
  return { code, err: err.join('\n'), out: out_.join('\n') };
}

/** Nothing but what was there: no staging or backup folder of ours left beside the target. */
const leftovers = (directory: string) => readdirSync(directory).filter((name) => /\.tmp-|\.old-/.test(name));

describe('refused, untouched, exit 2', () => {
  it('a file', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'notes.txt'), 'keep me');
    const result = await render(directory, 'notes.txt');
    expect(result).toMatchObject({ code: 2, err: 'milvus-swarm: notes.txt is a file, not a folder: choose a missing path or a folder the generator wrote' });
    expect(readFileSync(path.join(directory, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(leftovers(directory)).toEqual([]);
  });

  it.runIf(isRoot)('a device (a copy of /dev/null, made with mknod)', async () => {
    const directory = scratchRepository();
    const device = path.join(directory, 'null');
    expect(spawnSync('mknod', [device, 'c', '1', '3']).status).toBe(0);
    const result = await render(directory, 'null');
    expect(result).toMatchObject({ code: 2, err: 'milvus-swarm: null is a character device, not a folder: choose a missing path or a folder the generator wrote' });
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it('a symbolic link to a folder, even an empty one', async () => {
    const directory = scratchRepository();
    mkdirSync(path.join(directory, 'real'));
    symlinkSync('real', path.join(directory, 'link'));
    const result = await render(directory, 'link');
    expect(result).toMatchObject({ code: 2, err: 'milvus-swarm: link is a symbolic link: milvus-swarm neither follows nor replaces one; use a real folder' });
    expect(readlinkSync(path.join(directory, 'link'))).toBe('real');
    expect(readdirSync(path.join(directory, 'real'))).toEqual([]);
  });

  it('a dangling symbolic link', async () => {
    const directory = scratchRepository();
    symlinkSync('/nonexistent/place', path.join(directory, 'dangling'));
    expect((await render(directory, 'dangling')).code).toBe(2);
    expect(readlinkSync(path.join(directory, 'dangling'))).toBe('/nonexistent/place');
  });

  it('a read-only folder, even one the generator wrote', async () => {
    const directory = scratchRepository();
    expect((await render(directory, 'out')).code).toBe(0);
    chmodSync(path.join(directory, 'out'), 0o555);
    const before = readdirSync(path.join(directory, 'out'));
    const result = await render(directory, 'out');
    chmodSync(path.join(directory, 'out'), 0o755);
    expect(result).toMatchObject({ code: 2, err: 'milvus-swarm: out is read-only: make it writable or choose another folder' });
    expect(readdirSync(path.join(directory, 'out'))).toEqual(before);
  });

  it('a folder holding a symbolic link under a name the generator writes', async () => {
    const directory = scratchRepository();
    mkdirSync(path.join(directory, 'out'));
    writeFileSync(path.join(directory, 'secret.txt'), 'secret');
    symlinkSync(path.join(directory, 'secret.txt'), path.join(directory, 'out', 'stack.yaml'));
    const result = await render(directory, 'out');
    expect(result).toMatchObject({ code: 2, err: 'milvus-swarm: out holds files the generator does not write (stack.yaml (a symbolic link)): choose an empty or a rendered folder' });
    expect(readFileSync(path.join(directory, 'secret.txt'), 'utf8')).toBe('secret');
    expect(lstatSync(path.join(directory, 'out', 'stack.yaml')).isSymbolicLink()).toBe(true);
  });

  it('a folder holding a folder under a name the generator writes', async () => {
    const directory = scratchRepository();
    mkdirSync(path.join(directory, 'out', 'README.md'), { recursive: true });
    const result = await render(directory, 'out');
    expect(result.code).toBe(2);
    expect(result.err).toBe('milvus-swarm: out holds files the generator does not write (README.md (a folder)): choose an empty or a rendered folder');
  });

  it('the repository itself, and its environments/', async () => {
    const directory = scratchRepository();
    expect((await render(directory, '.')).code).toBe(2);
    expect((await render(directory, 'environments')).code).toBe(2);
    expect(readdirSync(path.join(directory, 'environments')).sort()).toEqual(['local.yaml', 'production.yaml']);
  });

  it('a path below a file', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'file'), 'x');
    const result = await render(directory, 'file/out');
    expect(result).toMatchObject({ code: 2, err: 'milvus-swarm: file/out: file is a file, not a folder' });
  });

  it('a path that would need more than 16 new folders', async () => {
    const directory = scratchRepository();
    const deep = Array.from({ length: 40 }, (_, index) => `d${index}`).join('/');
    const result = await render(directory, deep);
    expect(result).toMatchObject({ code: 2, err: `milvus-swarm: ${deep}: would create more than 16 folders; create the parent folder first` });
    expect(existsSync(path.join(directory, 'd0'))).toBe(false);
  });

  it('/proc/x: refused at once, never a loop (a subprocess, so a spin fails the test instead of hanging the suite)', () => {
    const directory = scratchRepository();
    const cli = sourceCli(['render', '--topology', 'environments/local.yaml', '--out', '/proc/x']);
    const result = spawnSync(cli.command, cli.args, {
      cwd: directory,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^milvus-swarm: \/proc\/x: cannot create a folder in \/proc: /);
  }, 300_000);
});

describe('accepted', () => {
  it('a missing path, with missing parents', async () => {
    const directory = scratchRepository();
    expect((await render(directory, 'a/b/out')).code).toBe(0);
    expect((readdirSync(path.join(directory, 'a/b/out'), { recursive: true }) as string[]).filter((name) => !ENVIRONMENT_FOLDERS.includes(name)).sort()).toEqual([...ENVIRONMENT_FILES].sort());
    expect(lstatSync(path.join(directory, 'a/b/out/prepare-hosts.sh')).mode & 0o777).toBe(0o755);
    expect(leftovers(path.join(directory, 'a/b'))).toEqual([]);
  });

  it('an empty folder, and a folder it rendered before (replaced)', async () => {
    const directory = scratchRepository();
    mkdirSync(path.join(directory, 'out'));
    expect((await render(directory, 'out')).code).toBe(0);
    writeFileSync(path.join(directory, 'out', 'stack.yaml'), 'old\n');
    expect((await render(directory, 'out')).code).toBe(0);
    expect(readFileSync(path.join(directory, 'out', 'stack.yaml'), 'utf8')).toBe(readFileSync(path.join(directory, 'rendered/local/stack.yaml'), 'utf8'));
  });
});

describe('render into rendered/', () => {
  it('refuses a rendered/ that is a symbolic link', async () => {
    const directory = scratchRepository();
    const { renameSync } = await import('node:fs');
    renameSync(path.join(directory, 'rendered'), path.join(directory, 'rendered-real'));
    symlinkSync('rendered-real', path.join(directory, 'rendered'));
    const err: string[] = [];
    const code = await main(['render'], { cwd: directory, out: () => undefined, err: (line) => err.push(line), env: {} });
    expect(code).toBe(2);
    expect(err.filter((line) => !line.includes(': warning: '))).toEqual(['milvus-swarm: rendered is a symbolic link: milvus-swarm neither follows nor replaces one; use a real folder']);
    expect(lstatSync(path.join(directory, 'rendered')).isSymbolicLink()).toBe(true);
  });

  it('never copies what a symbolic link in rendered/ points at into rendered/', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'secret.txt'), 'secret');
    symlinkSync(path.join(directory, 'secret.txt'), path.join(directory, 'rendered', 'local', 'notes.txt'));
    const err: string[] = [];
    const code = await main(['render', '--env', 'production'], { cwd: directory, out: () => undefined, err: (line) => err.push(line), env: {} });
    expect(code).toBe(0);
    expect(existsSync(path.join(directory, 'rendered', 'local', 'notes.txt'))).toBe(false);
    expect(readFileSync(path.join(directory, 'secret.txt'), 'utf8')).toBe('secret');
  });
});
