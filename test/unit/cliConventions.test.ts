// The command line behaves like the tools operators know (issue 21's table, one row per test): --help on the tool and
// every command, --version, did-you-mean for commands and environments, the credentials file that Node does not
// capture, backup asking for root's pair, restore without a point, plan's exit codes and formats. The rows that are
// about the shipped command (the sh wrapper, the bundle) run it as a process; the rest call main() in-process.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../generator/cli.ts';
import type { CommandIO } from '../../generator/commands/io.ts';
import { shippedBin } from '../cliProcess.ts';
import { frozenRepositories, frozenText } from '../frozen.ts';
import packageJson from '../../package.json' with { type: 'json' };

const scratchRepository = frozenRepositories('milvus-swarm-cli-conventions-');
const repoRoot = path.resolve(import.meta.dirname, '../..');
// Not under /tmp: the backup-directory-private rule refuses a directory anyone can write to.
mkdirSync(path.join(homedir(), '.cache', 'milvus-swarm'), { recursive: true });
const pointsDir = mkdtempSync(path.join(homedir(), '.cache', 'milvus-swarm', 'points-cli-'));
afterAll(() => rmSync(pointsDir, { recursive: true, force: true }));

async function run(cwd: string, argv: string[], io: Partial<CommandIO> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, out: (line) => out.push(line), err: (line) => err.push(line), env: {}, ...io });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The shipped `npx milvus-swarm` (bin/milvus-swarm and its bundle), as a process. */
const shipped = (args: string[], cwd = repoRoot) => spawnSync(shippedBin(), args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH } });

const COMMANDS = [['render'], ['check'], ['plan'], ['schema'], ['deploy'], ['verify'], ['backup'], ['backup', 'list'], ['restore']];

describe('--help on the tool and every command', () => {
  it.each(COMMANDS)('%s %s --help: usage, flags, exit codes and an example; exit 0', async (...command) => {
    const words = command.filter((word): word is string => typeof word === 'string');
    const result = await run(repoRoot, [...words, '--help']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(new RegExp(`^Usage: milvus-swarm ${words.join(' ')} \\[options\\]`));
    expect(result.out).toContain('-h, --help');
    expect(result.out).toMatch(/\nExit codes: 0 /);
    expect(result.out).toMatch(/\nExamples?:\n {2}\$ npx milvus-swarm /);
    expect(result.err).toBe('');
  });

  it('-h, `help deploy` and the tool itself answer too, listing every command', async () => {
    expect((await run(repoRoot, ['deploy', '-h'])).out).toMatch(/^Usage: milvus-swarm deploy/);
    expect((await run(repoRoot, ['help', 'deploy'])).out).toMatch(/^Usage: milvus-swarm deploy/);
    const tool = await run(repoRoot, ['--help']);
    expect(tool.code).toBe(0);
    for (const [name] of COMMANDS) expect(tool.out).toMatch(new RegExp(`\\n {2}${name} `));
  });

  it('the shipped command answers --help through node with its own parser, not node\'s', () => {
    const result = shipped(['backup', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: milvus-swarm backup \[options\]/);
  });
});

describe('--version', () => {
  it("prints the package's version and exits 0, in-process and shipped", async () => {
    expect(await run(repoRoot, ['--version'])).toMatchObject({ code: 0, out: `milvus-swarm ${packageJson.version}` });
    const shippedRun = shipped(['--version']);
    expect(shippedRun.status).toBe(0);
    expect(shippedRun.stdout.trim()).toBe(`milvus-swarm ${packageJson.version}`);
  });
});

describe('did you mean', () => {
  it('a misspelt command: one line with the suggestion, exit 2, no usage dump', async () => {
    const result = await run(repoRoot, ['rendr']);
    expect(result).toMatchObject({ code: 2, out: '' });
    expect(result.err).toBe('milvus-swarm: unknown command "rendr" (did you mean "render"?)');
  });

  it('a misspelt flag', async () => {
    expect(await run(repoRoot, ['deploy', '--env', 'local', '--resolve-imgae', 'never'])).toMatchObject({ code: 2, err: 'milvus-swarm: unknown option "--resolve-imgae" (did you mean "--resolve-image"?)' });
  });

  it('an environment that does not exist: the ones that do, and the likely one', async () => {
    const result = await run(scratchRepository(), ['render', '--env', 'prod']);
    expect(result.code).toBe(2);
    expect(result.err).toBe('milvus-swarm: unknown environment "prod": environments/prod.yaml does not exist; the environments are local, production (did you mean "production"?)');
  });
});

describe('the credentials file', () => {
  it('--credentials FILE that does not exist is a usage error naming it (exit 2), in-process and shipped', async () => {
    expect(await run(scratchRepository(), ['verify', '--env', 'production', '--credentials', '/nope'])).toMatchObject({ code: 2, err: 'milvus-swarm: --credentials /nope: no such file' });
    const result = shipped(['verify', '--env', 'production', '--credentials', '/nope']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('milvus-swarm: --credentials /nope: no such file');
  });

  it('the old spelling --env-file reaches the CLI, not node (which exits 9 on a missing file): the wrapper rewrites it', () => {
    for (const spelling of [['--env-file', '/nope'], ['--env-file=/nope']]) {
      const result = shipped(['verify', '--env', 'production', ...spelling]);
      expect(result.stderr).not.toMatch(/^node:/m);
      expect(result.status).toBe(2);
      expect(result.stderr.trim()).toBe('milvus-swarm: --credentials /nope: no such file');
    }
  });
});

describe('backup and restore', () => {
  /** The frozen production with a backup: section whose directory target is an empty temporary folder. */
  function withBackupSection(): string {
    const directory = scratchRepository();
    appendFileSync(path.join(directory, 'environments/production.yaml'), `\nbackup:\n  schedule: "17 3 * * *"\n  keep: 7\n  windowDays: 7\n  targets:\n    directory: ${pointsDir}\n`);
    return directory;
  }

  it("backup without credentials asks for root's pair, which it needs, not verify's", async () => {
    const result = await run(withBackupSection(), ['backup', '--env', 'production'], { env: { MINIO_VERIFY_USER: 'verify', MINIO_VERIFY_PASSWORD: 'verify-password' } });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^milvus-swarm: MINIO_ROOT_USER and MINIO_ROOT_PASSWORD \(MinIO's root user: .*\) are not set: export them .* or pass --credentials FILE$/);
    expect(result.err).not.toContain('verify-password');
  });

  it('restore --point latest with no point: says there is none and how to make one, exit 1, no --yes prompt', async () => {
    const result = await run(withBackupSection(), ['restore', '--env', 'production', '--point', 'latest']);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`(in directory ${pointsDir}): make one with \`npx milvus-swarm backup --env production\``);
    expect(result.err).not.toContain('--yes');
  });

  it("backup list takes its own options (not backup's): --env after list is list's, and so is --credentials", async () => {
    const unknown = await run(withBackupSection(), ['backup', 'list', '--env', 'prod']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown environment "prod"');
    const credentials = path.join(scratchRepository(), 'missing.env');
    const missing = await run(withBackupSection(), ['backup', 'list', '--env', 'production', '--credentials', credentials]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`milvus-swarm: --credentials ${credentials}: no such file`);
    // Before `list`, backup's options count for it too.
    const before = await run(withBackupSection(), ['backup', '--env', 'production', 'list', '--json']);
    expect(before.code, before.err).toBe(0);
    expect(JSON.parse(before.out).map((listing: { environment: string }) => listing.environment)).toEqual(['production']);
  });

  it('restore --point ID that is not there names the listing command', async () => {
    const result = await run(withBackupSection(), ['restore', '--env', 'production', '--point', '20260101T000000Z-0000']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('`npx milvus-swarm backup list --env production` lists the points there');
  });
});

describe('plan', () => {
  /** The frozen production and a copy with `edit` applied, as --from/--to files in their own folders. */
  function planFiles(edit: (text: string) => string) {
    const directory = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-plan-files-'));
    const before = path.join(directory, 'before', 'production.yaml');
    const after = path.join(directory, 'after', 'production.yaml');
    spawnSync('mkdir', ['-p', path.dirname(before), path.dirname(after)]);
    appendFileSync(before, frozenText('production'));
    appendFileSync(after, edit(frozenText('production')));
    return { directory, before, after };
  }
  const unchanged = (text: string) => text;
  const safeChange = (text: string) => text.replace(/replicas: 2/, 'replicas: 3');
  // etcd's data dir moved: every member would start empty (the plan case etcd-data-dir).
  const destructive = (text: string) => text.replace('dataDir: /mnt/data/etcd\n', 'dataDir: /mnt/data/etcd-v2\n');

  it('exits 0 on no changes and on safe/care ones, 3 on a destructive one; --detailed-exitcode separates 0 / 4 / 3', async () => {
    const cases: [string, (text: string) => string, number, number][] = [
      ['no changes', unchanged, 0, 0],
      ['a safe change', safeChange, 0, 4],
      ['a destructive change', destructive, 3, 3],
    ];
    for (const [what, edit, plain, detailed] of cases) {
      const files = planFiles(edit);
      try {
        expect((await run(repoRoot, ['plan', '--from', files.before, '--to', files.after])).code, what).toBe(plain);
        expect((await run(repoRoot, ['plan', '--from', files.before, '--to', files.after, '--detailed-exitcode'])).code, what).toBe(detailed);
      } finally {
        rmSync(files.directory, { recursive: true, force: true });
      }
    }
  });

  it('--json is the plan as a value; markdown is kept for job summaries; a terminal gets wrapped text', async () => {
    const files = planFiles(safeChange);
    try {
      const json = await run(repoRoot, ['plan', '--from', files.before, '--to', files.after, '--json']);
      const value = JSON.parse(json.out) as { environments: { environment: string; changes: { id: string; class: string }[] }[] };
      expect(value.environments[0]!.environment).toBe('production');
      expect(value.environments[0]!.changes.length).toBeGreaterThan(0);
      const markdown = await run(repoRoot, ['plan', '--from', files.before, '--to', files.after]);
      expect(markdown.out).toMatch(/^## Plan: /);
      expect(markdown.out).toMatch(/\n\| class \| id \|/);
      const text = await run(repoRoot, ['plan', '--from', files.before, '--to', files.after], { terminal: { columns: 80 } });
      expect(text.out).toMatch(/^Plan: /);
      expect(text.out).not.toContain('| class |');
      // Only a word that cannot break (a command to paste) may run past the width, on a line of its own.
      expect(text.out.split('\n').filter((line) => line.length > 80 && /\S\s+\S/.test(line.trim()))).toEqual([]);
    } finally {
      rmSync(files.directory, { recursive: true, force: true });
    }
  });
});

describe('the shipped command', () => {
  it('schema prints the JSON Schema rendered/ holds, from the bundle', () => {
    const result = shipped(['schema']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('properties.etcd');
  });

  it('a reader that stops early (| head) is no error', () => {
    const result = spawnSync('sh', ['-c', `"${shippedBin()}" schema | head -1`], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.stdout.trim()).toBe('{');
    expect(result.stderr).toBe('');
  });
});
