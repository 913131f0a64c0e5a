// The workflows: actionlint (the official binary, installed by npm run lint:workflows when missing) passes them and
// fails a broken one; and the properties the issue asks for hold, read from the YAML.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const workflow = (name: string) => parse(readFileSync(path.join(repoRoot, '.github', 'workflows', name), 'utf8')) as Record<string, any>;
const lint = (...files: string[]) => spawnSync('bash', ['.github/lint-workflows.sh', ...files], { cwd: repoRoot, encoding: 'utf8' });

describe('actionlint', () => {
  it('passes every workflow', () => {
    const result = lint();
    expect(result.stdout + result.stderr).not.toMatch(/\[[a-z-]+\]$/m);
    expect(result.status).toBe(0);
  }, 300_000);

  it('fails a workflow with a mistake (so the check can fail)', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-actionlint-'));
    try {
      const broken = path.join(directory, 'broken.yml');
      const text = readFileSync(path.join(repoRoot, '.github/workflows/verify.yml'), 'utf8').replace('${{ matrix.environment }}', '${{ matrix.enviroment }}');
      writeFileSync(broken, text);
      const result = lint(broken);
      expect(result.status).not.toBe(0);
      expect(result.stdout).toMatch(/enviroment/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 300_000);
});

/** Every step of every job of a workflow. */
const steps = (definition: Record<string, any>) => Object.values(definition.jobs as Record<string, { steps: Record<string, any>[] }>).flatMap((job) => job.steps);

describe('workflows', () => {
  it('pr.yml runs on pull requests on GitHub-hosted runners only, with the checks and the plan in the summary', () => {
    const pr = workflow('pr.yml');
    expect(Object.keys(pr.on)).toEqual(['pull_request']);
    for (const job of Object.values(pr.jobs as Record<string, any>)) expect(JSON.stringify(job['runs-on'])).not.toMatch(/self-hosted/);
    const commands = steps(pr).map((step) => step.run ?? '').join('\n');
    for (const command of ['npm ci', 'npm run typecheck', 'npm run test:unit', 'npx milvus-swarm check', 'npm run bundle:check', 'npm run lint:workflows', 'milvus-swarm plan --base']) {
      expect(commands).toContain(command);
    }
    expect(commands).toMatch(/plan[\s\S]*GITHUB_STEP_SUMMARY/);
  });

  it('deploy.yml: push to main on environments/, rendered/, conf/ and by hand; self-hosted per environment; protected; serialised; least privilege; deploy then verify', () => {
    const deploy = workflow('deploy.yml');
    expect(deploy.on.push).toEqual({ branches: ['main'], paths: ['environments/**', 'rendered/**', 'conf/**'] });
    expect(deploy.on.workflow_dispatch.inputs.environment.required).toBe(true);
    expect(deploy.permissions).toEqual({ contents: 'read' });
    const job = deploy.jobs.deploy;
    expect(job['runs-on']).toEqual(['self-hosted', 'milvus-swarm-${{ matrix.environment }}']);
    expect(job.environment).toBe('${{ matrix.environment }}');
    expect(job.concurrency).toEqual({ group: 'deploy-${{ matrix.environment }}', 'cancel-in-progress': false });
    expect(job.steps.map((step: Record<string, string>) => step.uses)).toEqual(['actions/checkout@11d5960a326750d5838078e36cf38b85af677262', './.github/actions/deploy', './.github/actions/verify']);
  });

  it('verify.yml runs on a schedule and by hand, on the self-hosted runner, in its own concurrency group', () => {
    const verify = workflow('verify.yml');
    expect(Object.keys(verify.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(verify.jobs.verify['runs-on']).toEqual(['self-hosted', 'milvus-swarm-${{ matrix.environment }}']);
    expect(verify.jobs.verify.concurrency.group).toBe('verify-${{ matrix.environment }}');
    expect(verify.permissions).toEqual({ contents: 'read' });
    // The one write: the environment's issue (opened when red, commented on, closed when green), on this job only.
    expect(verify.jobs.verify.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(steps(verify).find((step) => step.uses === './.github/actions/verify')?.with?.['github-token']).toBe('${{ github.token }}');
  });

  it('drift.yml runs diff on a schedule and by hand, default branch only, on the runner, reading the repository and writing only issues', () => {
    const drift = workflow('drift.yml');
    expect(Object.keys(drift.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const job = drift.jobs.drift;
    expect(job.if).toBe("github.ref == 'refs/heads/main'");
    expect(job['runs-on']).toEqual(['self-hosted', 'milvus-swarm-${{ matrix.environment }}']);
    expect(job.concurrency).toEqual({ group: 'drift-${{ matrix.environment }}', 'cancel-in-progress': false });
    expect(drift.permissions).toEqual({ contents: 'read' });
    expect(job.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(job.steps.find((step: Record<string, any>) => step.uses === './.github/actions/diff').with['github-token']).toBe('${{ github.token }}');
    expect(job.steps.map((step: Record<string, string>) => step.uses)).toEqual(['actions/checkout@11d5960a326750d5838078e36cf38b85af677262', './.github/actions/diff']);
    // diff needs docker only: no credential reaches this job.
    expect(JSON.stringify(job)).not.toMatch(/secrets\./);
  });

  it("backup.yml runs on the topologies' backup schedules and by hand, default branch only, on the environment's runner, with the backup action", () => {
    const backup = workflow('backup.yml');
    expect(Object.keys(backup.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    // The cron of every environment with a backup: section, and no other (GitHub reads cron in UTC, as the topology does).
    const schedules = readdirSync(path.join(repoRoot, 'environments'))
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => (parse(readFileSync(path.join(repoRoot, 'environments', name), 'utf8')) as { backup?: { schedule: string } }).backup?.schedule)
      .filter((schedule): schedule is string => schedule !== undefined);
    expect(schedules.length).toBeGreaterThan(0);
    expect(backup.on.schedule.map((entry: { cron: string }) => entry.cron).sort()).toEqual([...new Set(schedules)].sort());
    const job = backup.jobs.backup;
    expect(job.if).toBe("github.ref == 'refs/heads/main'");
    expect(job['runs-on']).toEqual(['self-hosted', 'milvus-swarm-${{ matrix.environment }}']);
    expect(job.concurrency).toEqual({ group: 'backup-${{ matrix.environment }}', 'cancel-in-progress': false });
    expect(backup.permissions).toEqual({ contents: 'read' });
    expect(job.steps.map((step: Record<string, string>) => step.uses)).toEqual(['actions/checkout@11d5960a326750d5838078e36cf38b85af677262', './.github/actions/backup']);
  });

  it("gives MILVUS_SWARM_POINT_KEY and the S3 target's keys to every step that makes or counts recovery points, and MinIO's root pair to no verify step", () => {
    const local = (name: string, action: string) => steps(workflow(name)).filter((step) => step.uses === `./.github/actions/${action}`);
    const stepsWithPoints = [...local('deploy.yml', 'deploy'), ...local('deploy.yml', 'verify'), ...local('verify.yml', 'verify'), ...local('backup.yml', 'backup')];
    expect(stepsWithPoints).toHaveLength(4);
    for (const step of stepsWithPoints) {
      // The key, and an S3 target's keys (verify's recovery-point row lists the targets too).
      for (const name of ['MILVUS_SWARM_POINT_KEY', 'BACKUP_S3_ACCESS_KEY', 'BACKUP_S3_SECRET_KEY']) expect(step.env?.[name], `${name} in ${JSON.stringify(step)}`).toBe(`\${{ secrets.${name} }}`);
    }
    for (const step of [...local('deploy.yml', 'verify'), ...local('verify.yml', 'verify')]) expect(JSON.stringify(step)).not.toMatch(/MINIO_ROOT/);
  });

  it("the README's runner set-up names every workflow that reaches the swarm's runner, and every secret they read", () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('## Setting up the runner');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const group = section.slice(section.indexOf('**runner group**'), section.indexOf('- **Environments**'));
    const environments = section.slice(section.indexOf('- **Environments**'), section.indexOf('- **Branch protection**'));
    const selfHosted = readdirSync(path.join(repoRoot, '.github', 'workflows')).filter((name) =>
      Object.values(workflow(name).jobs as Record<string, any>).some((job) => JSON.stringify(job['runs-on']).includes('self-hosted')),
    );
    expect(selfHosted.sort()).toEqual(['backup.yml', 'deploy.yml', 'drift.yml', 'verify.yml']);
    for (const name of selfHosted) expect(group, name).toContain(name);
    const secrets = new Set(selfHosted.flatMap((name) => [...readFileSync(path.join(repoRoot, '.github', 'workflows', name), 'utf8').matchAll(/secrets\.([A-Z0-9_]+)/g)].map((match) => match[1]!)));
    expect(secrets.size).toBeGreaterThan(4);
    for (const secret of secrets) expect(environments, secret).toContain(`\`${secret}\``);
  });

  it('skips steps under act only where they need the internet (actions/setup-*)', () => {
    for (const name of ['pr.yml', 'deploy.yml', 'verify.yml', 'backup.yml', 'drift.yml']) {
      for (const step of steps(workflow(name))) {
        if (String(step.if ?? '').includes('ACT')) expect(step.uses, `${name}: ${JSON.stringify(step)}`).toMatch(/^actions\/setup-/);
      }
    }
  });
});
