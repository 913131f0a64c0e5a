// Environment names: one DNS-label rule for file names in environments/, --env, the --topology file's name and the
// GitHub actions' `environment` input. A name that breaks it is refused before anything is read or written.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../generator/cli.ts';
import { readTree } from '../../../generator/workspace/tree.ts';
import { repoRoot } from '../support.ts';
import { scratchRepositories } from './support.ts';

const scratchRepository = scratchRepositories('milvus-swarm-envnames-');

async function run(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, out: (line) => out.push(line), err: (line) => err.push(line), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const RULE = 'an environment name is a DNS label: lowercase letters, digits and "-", starting with a letter, not ending with "-", at most 63 characters';

const HOSTILE_NAMES = ['../../x', '../production', 'p$(touch X)', 'Staging', 'a/b', 'x\nuser root;', '-x', 'x-', '', 'e'.repeat(64), 'prod.yaml'];

describe('--env', () => {
  it.each(HOSTILE_NAMES)('render --env %j: exit 2, nothing read or written', async (name) => {
    const directory = scratchRepository();
    mkdirSync(path.join(directory, 'elsewhere'));
    writeFileSync(path.join(directory, 'elsewhere', 'x.yaml'), readFileSync(path.join(repoRoot, 'environments/local.yaml')));
    const before = await readTree(path.join(directory, 'rendered'));
    const result = await run(path.join(directory), 'render', `--env=${name}`);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`milvus-swarm: --env ${JSON.stringify(name)}: ${RULE}`);
    expect(await readTree(path.join(directory, 'rendered'))).toEqual(before);
    expect(existsSync(path.join(directory, 'x'))).toBe(false);
  });

  it.each(['deploy', 'verify'])('%s --env ../../x: exit 2 before anything else', async (command) => {
    const result = await run(scratchRepository(), command, '--env', '../../x');
    expect(result.code).toBe(2);
    expect(result.err).toBe(`milvus-swarm: --env "../../x": ${RULE}`);
  });

  it('still says which environments exist for a good name that has no file', async () => {
    const result = await run(scratchRepository(), 'render', '--env', 'staging');
    expect(result.code).toBe(2);
    expect(result.err).toBe('milvus-swarm: unknown environment "staging": environments/staging.yaml does not exist; the environments are local, production');
  });
});

describe('--topology FILE names the environment', () => {
  it.each(['p$(touch X).yaml', 'Prod.yaml', 'my env.yaml'])('refuses %j (exit 2, nothing written)', async (file) => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, file), readFileSync(path.join(repoRoot, 'environments/local.yaml')));
    const result = await run(directory, 'render', '--topology', file, '--out', 'out');
    expect(result.code).toBe(2);
    expect(result.err).toBe(`milvus-swarm: --topology ${file}: the file name gives the environment name ${JSON.stringify(file.replace(/\.yaml$/, ''))}, but ${RULE}: rename the file`);
    expect(existsSync(path.join(directory, 'out'))).toBe(false);
  });

  it('plan --to names the environment too', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'Prod.yaml'), readFileSync(path.join(repoRoot, 'environments/local.yaml')));
    const result = await run(directory, 'plan', '--from', 'environments/local.yaml', '--to', 'Prod.yaml');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^milvus-swarm: --to Prod\.yaml: the file name gives the environment name "Prod"/);
  });
});

describe('files in environments/', () => {
  it.each([
    ['Staging.yaml', '"Staging" is not an environment name: rename the file to environments/staging.yaml'],
    ['staging.yml', 'environment files end in .yaml: rename the file to environments/staging.yaml'],
    ['staging.YAML', 'environment files end in .yaml: rename the file to environments/staging.yaml'],
    ['p$(touch X).yaml', `"p$(touch X)" is not an environment name (${RULE}): rename the file`],
  ])('render reports %s, exits 1 and writes nothing', async (file, message) => {
    const directory = scratchRepository();
    renameSync(path.join(directory, 'environments/local.yaml'), path.join(directory, 'environments', file));
    const before = await readTree(path.join(directory, 'rendered'));
    const result = await run(directory, 'render');
    expect(result.code).toBe(1);
    const lines = result.err.split('\n');
    expect(lines).toContain(`environments/${file}:1:1: error: (root): ${message}`);
    expect(lines.at(-1)).toMatch(/^1 error, \d+ warnings?: nothing was written$/);
    expect(await readTree(path.join(directory, 'rendered'))).toEqual(before);
  });

  it('check reports it too', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'environments/staging.yml'), readFileSync(path.join(repoRoot, 'environments/local.yaml')));
    const result = await run(directory, 'check');
    expect(result.code).toBe(1);
    expect(result.err.split('\n')).toContain('environments/staging.yml:1:1: error: (root): environment files end in .yaml: rename the file to environments/staging.yaml');
  });

  it('leaves files that are not YAML alone (a README)', async () => {
    const directory = scratchRepository();
    writeFileSync(path.join(directory, 'environments/README.md'), '# environments\n');
    expect((await run(directory, 'check')).code).toBe(0);
  });
});

// The actions, the way typescript-action tests them: @actions/core mocked, run() called, what it set asserted.
const core = vi.hoisted(() => ({
  inputs: {} as Record<string, string>,
  failed: [] as string[],
}));
vi.mock('@actions/core', () => {
  const summary = { addHeading: () => summary, addRaw: () => summary, addList: () => summary, addEOL: () => summary, write: async () => summary };
  return {
    getInput: (name: string) => core.inputs[name] ?? '',
    setFailed: (message: string) => core.failed.push(message),
    setOutput: () => undefined,
    setSecret: () => undefined,
    info: () => undefined,
    warning: () => undefined,
    error: () => undefined,
    debug: () => undefined,
    isDebug: () => false,
    summary,
  };
});
const library = vi.hoisted(() => ({ deploy: vi.fn(), verify: vi.fn() }));
vi.mock('../../../generator/deploy/deploy.ts', async (original) => ({ ...(await original()), runDeploy: library.deploy }));
vi.mock('../../../generator/verify/verify.ts', async (original) => ({ ...(await original()), runVerify: library.verify }));

describe("the actions' environment input", () => {
  beforeEach(() => {
    core.failed = [];
    library.deploy.mockReset();
    library.verify.mockReset();
  });

  it.each(['deploy', 'verify'])('%s refuses ../../x before calling the library', async (action) => {
    core.inputs = { environment: '../../x', 'working-directory': repoRoot };
    const { run: runAction } = await import(`../../../.github/actions/${action}/src/main.ts`);
    await runAction();
    expect(core.failed).toEqual([`environment "../../x": ${RULE}`]);
    expect(library.deploy).not.toHaveBeenCalled();
    expect(library.verify).not.toHaveBeenCalled();
  });
});
