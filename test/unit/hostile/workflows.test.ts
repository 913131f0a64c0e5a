// The workflows and the self-hosted runner, as files can hold them: third-party actions pinned by commit, no
// persisted credentials, no install scripts, a pinned Go, self-hosted jobs only for the default branch, code owners for
// what deploys, zizmor clean, and the README saying what only GitHub's settings can do.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../support.ts';

const WORKFLOWS = readdirSync(path.join(repoRoot, '.github/workflows')).filter((name) => name.endsWith('.yml'));
const text = (relative: string) => readFileSync(path.join(repoRoot, relative), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const workflow = (name: string): any => parse(text(`.github/workflows/${name}`));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const jobsOf = (name: string): [string, any][] => Object.entries(workflow(name).jobs);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const stepsOf = (name: string): any[] => jobsOf(name).flatMap(([, job]) => job.steps ?? []);

/**
 * The pins, each checked against the action's own tags when it was pinned (the tag's commit in the action's
 * repository: `git rev-parse vX.Y.Z^{commit}`), never guessed. The same major versions as before (node20).
 */
const PINS: Record<string, string> = {
  'actions/checkout': '11d5960a326750d5838078e36cf38b85af677262 # v4.4.0',
  'actions/setup-node': '49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0',
  'actions/setup-go': '40f1582b2485089dde7abd97c1529aa768e1baff # v5.6.0',
  'actions/upload-artifact': 'ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2',
};

describe('third-party actions', () => {
  it.each(WORKFLOWS)('%s pins each by full commit SHA, with its tag in a comment', (name) => {
    const lines = text(`.github/workflows/${name}`).split('\n').filter((line) => /^\s*(-\s+)?uses:\s/.test(line) && !/uses:\s+\.\//.test(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const [, action, pin] = /uses:\s+([\w.-]+\/[\w.-]+)@(.*)$/.exec(line) ?? [];
      expect(pin, line).toMatch(/^[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      expect(`${action}@${pin}`, line).toBe(`${action}@${PINS[action!]}`);
    }
  });

  it.each(WORKFLOWS)('%s: every checkout keeps no credentials in .git/config', (name) => {
    const checkouts = stepsOf(name).filter((step) => String(step.uses ?? '').startsWith('actions/checkout@'));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts) expect(step.with?.['persist-credentials'], name).toBe(false);
  });
});

describe('install scripts', () => {
  it.each([...WORKFLOWS.map((name) => `.github/workflows/${name}`), '.ci/run'])('%s runs npm ci with --ignore-scripts', (file) => {
    const installs = text(file).split('\n').filter((line) => /\bnpm ci\b/.test(line) && !/^\s*#/.test(line));
    for (const line of installs) expect(line, file).toMatch(/npm ci --ignore-scripts\b/);
  });
});

describe('pr.yml', () => {
  it('pins Go to one minor version (1.26.x), not "stable"', () => {
    const setupGo = stepsOf('pr.yml').find((step) => String(step.uses ?? '').startsWith('actions/setup-go@'));
    expect(String(setupGo.with['go-version'])).toBe('1.26.x');
  });

  it('runs zizmor beside actionlint', () => {
    expect(stepsOf('pr.yml').map((step) => step.run ?? '').join('\n')).toContain('npm run lint:zizmor');
  });
});

describe('self-hosted jobs', () => {
  it.each(WORKFLOWS)('%s: a job on the swarm runner runs for the default branch only', (name) => {
    for (const [id, job] of jobsOf(name)) {
      if (!JSON.stringify(job['runs-on']).includes('self-hosted')) continue;
      expect(job.if, `${name}: ${id}`).toBe("github.ref == 'refs/heads/main'");
    }
  });

  it('deploy.yml and verify.yml can still be run by hand (on main)', () => {
    expect(workflow('deploy.yml').on.workflow_dispatch.inputs.environment.required).toBe(true);
    expect(workflow('verify.yml').on.workflow_dispatch.inputs.environment.required).toBe(true);
  });
});

describe('code owners', () => {
  it('own .github/, environments/, rendered/ and conf/', () => {
    const owners = text('.github/CODEOWNERS')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .map((line) => line.trim().split(/\s+/));
    for (const folder of ['/.github/', '/environments/', '/rendered/', '/conf/']) {
      const rule = owners.find(([pattern]) => pattern === folder);
      expect(rule, folder).toBeDefined();
      expect(rule!.slice(1).length, folder).toBeGreaterThan(0);
      for (const owner of rule!.slice(1)) expect(owner).toMatch(/^@[\w.-]+(\/[\w.-]+)?$/);
    }
  });
});

describe('README', () => {
  it('says what to set on GitHub that no file can', () => {
    const readme = text('README.md');
    const section = readme.slice(readme.indexOf('## Setting up the runner'));
    expect(readme).toContain('## Setting up the runner');
    for (const words of ['runner group', 'deploy.yml', 'verify.yml', 'default branch', 'branch policy', 'required reviewers', 'fork', 'CODEOWNERS']) {
      expect(section.slice(0, section.indexOf('\n## ', 1) > 0 ? section.indexOf('\n## ', 1) : undefined)).toContain(words);
    }
  });
});

describe('zizmor', () => {
  const zizmor = (...files: string[]) => spawnSync('bash', ['.github/zizmor.sh', ...files], { cwd: repoRoot, encoding: 'utf8' });

  it('is a step of npm test and test:quick, installed by its script into a cached, pinned venv', () => {
    expect(text('test/run.ts')).toMatch(/name: 'zizmor', command: \['npm', 'run', '--silent', 'lint:zizmor'\]/);
    expect(JSON.parse(text('package.json')).scripts['lint:zizmor']).toBe('bash .github/zizmor.sh');
    expect(text('.github/zizmor.sh')).toMatch(/^version=\d+\.\d+\.\d+$/m);
    expect(text('.github/zizmor.sh')).toContain('.cache}/milvus-swarm/zizmor-$version');
    expect(text('test/setup.sh')).toMatch(/python3-venv/);
  });

  it('finds nothing in the workflows and actions (default persona)', () => {
    const result = zizmor();
    expect(result.stdout).toMatch(/No findings to report/);
    expect(result.status).toBe(0);
  }, 300_000);

  it('fails a workflow with an unpinned action (so the check can fail)', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-zizmor-'));
    try {
      const broken = path.join(directory, 'broken.yml');
      writeFileSync(broken, text('.github/workflows/verify.yml').replace(/actions\/checkout@[0-9a-f]{40}/, 'actions/checkout@v4'));
      const result = zizmor(broken);
      expect(result.status).not.toBe(0);
      expect(result.stdout).toMatch(/unpinned-uses/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 300_000);

  it('every finding left is ignored with its reason in a comment just above', () => {
    for (const name of WORKFLOWS) {
      const lines = text(`.github/workflows/${name}`).split('\n');
      lines.forEach((line, index) => {
        if (!line.includes('zizmor: ignore[')) return;
        expect(lines[index - 1], `${name}:${index + 1}`).toMatch(/^\s*# .*zizmor/);
      });
    }
    expect(existsSync(path.join(repoRoot, '.github/zizmor.yml'))).toBe(false);
  });
});
