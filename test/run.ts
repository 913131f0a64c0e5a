// `npm test`: every check this repository has, each timed; ends with one plain "N passed, N failed" line (vitest
// tests plus the non-vitest steps) and exits non-zero if anything failed. Steps after a failure still run, so one CI
// run shows everything that is wrong.
//
// The staging project (ten engines in their own namespaces) is the long pole: about 28 minutes of drills that mostly
// wait on swarm convergence, not on the CPU. So once the binaries every swarm needs are built, it starts at once, and
// everything else runs beside it in a second lane, one step after another: the static checks, the unit and processes
// projects, then the e2e project (the one-node swarm on this machine's engine; it shares nothing with staging but the
// caches). The monitoring project (promtool, no Docker) is a third lane. Each lane's lines are prefixed with its
// step's name (test/README.md: what each part costs).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { niceSchedulingGroup } from '../generator/docker/childPriority.ts';

interface Step {
  name: string;
  command: string[];
  /** A vitest run whose JSON report gives its test counts. */
  vitestReport?: string;
  /** Skip the step when this is false (e.g. a script not present in package.json). */
  when?: boolean;
  /**
   * Steps with a lane run after every step without one (those run side by side first), the lanes side by side, each
   * lane's steps one after another, each line of every step's output prefixed with the step's name.
   */
  lane?: string;
}

const root = path.resolve(import.meta.dirname, '..');
const reports = path.join(root, 'node_modules', '.cache', 'milvus-swarm-tests');
const scripts: Record<string, string> = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts;
const unitOnly = process.argv.includes('--unit-only');

const vitest = (project: string): Step => ({
  name: `vitest ${project}`,
  command: ['npx', 'vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(reports, `${project}.json`)}`],
  vitestReport: path.join(reports, `${project}.json`),
});

const steps: Step[] = [
  { name: 'setup', command: ['bash', 'test/setup.sh'] },
  // etcd and MinIO, built once before the lanes: staging's `up` needs them first, and the processes and e2e projects
  // after it would otherwise build them a second time beside it.
  { name: 'binaries', command: ['npx', 'tsx', 'test/buildBinaries.ts'], when: !unitOnly },
  { ...vitest('staging'), when: !unitOnly, lane: 'staging' },
  { name: 'typecheck', command: ['npx', 'tsc', '--noEmit'], lane: 'checks' },
  { name: 'rendered/ is current', command: ['npx', 'milvus-swarm', 'check'], lane: 'checks' },
  { name: 'bundles are current (actions, CLI)', command: ['npm', 'run', '--silent', 'bundle:check'], when: 'bundle:check' in scripts, lane: 'checks' },
  { name: 'actionlint', command: ['npm', 'run', '--silent', 'lint:workflows'], when: 'lint:workflows' in scripts, lane: 'checks' },
  { name: 'zizmor', command: ['npm', 'run', '--silent', 'lint:zizmor'], when: 'lint:zizmor' in scripts, lane: 'checks' },
  { ...vitest('unit'), lane: 'checks' },
  { ...vitest('processes'), lane: 'checks' },
  { ...vitest('e2e'), when: !unitOnly, lane: 'checks' },
  // It needs no Docker: its global setup needs promtool, whose build started in the background before the first step,
  // and waits for it there without holding the others up.
  { ...vitest('monitoring'), lane: 'monitoring' },
];

rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

// promtool (github.com/prometheus/prometheus, cmd/promtool) builds from source in minutes on a clean machine. Started
// here, at low priority, its build overlaps every step before the monitoring project instead of adding to the run:
// mostly the swarm suites' waiting, or the unit and processes projects with --unit-only. The project's global setup
// then finds promtool cached, or waits on the build's lock for the rest (test/e2e/harness/prometheusBinaries.ts).
// Prometheus and Alertmanager, which the staging drills run, are built after promtool by the same background process.
const promtoolLog = path.join(reports, 'promtool-build.log');
const promtoolLogFd = openSync(promtoolLog, 'w');
// Its own process group, so the go processes under it can be stopped with it. That is a session of its own, which
// autogroup scheduling makes a scheduling group of its own, and a group's nice is its own: without it the background
// build took as much CPU as the whole test run (generator/docker/childPriority.ts). Its go commands, in sessions of
// their own again, get the builder's nice from runCommand.
const BACKGROUND_NICE = 10;
const promtoolBuild = spawn('nice', ['-n', String(BACKGROUND_NICE), 'npx', 'tsx', 'test/monitoring/buildPromtool.ts'], { cwd: root, stdio: ['ignore', promtoolLogFd, promtoolLogFd], detached: true });
closeSync(promtoolLogFd);
niceSchedulingGroup(promtoolBuild.pid, BACKGROUND_NICE);

type Result = { name: string; ok: boolean; seconds: number; passed: number; failed: number; skipped: number; failures: string[] };
const results: Result[] = [];
const started = Date.now();

function resultOf(step: Step, ok: boolean, seconds: number): Result {
  if (step.vitestReport && existsSync(step.vitestReport)) {
    const report = JSON.parse(readFileSync(step.vitestReport, 'utf8'));
    return {
      failures: failuresIn(report),
      name: step.name,
      ok,
      seconds,
      passed: report.numPassedTests,
      failed: report.numFailedTests + (ok || report.numFailedTests > 0 ? 0 : 1),
      skipped: report.numPendingTests + report.numTodoTests,
    };
  }
  return { name: step.name, ok, seconds, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, failures: [] };
}

interface VitestReport {
  testResults: { name: string; status?: string; message?: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

/**
 * Each failed test as "file › name: first lines of its error". The summary repeats them at the very end, because
 * a CI log is often read from its tail only, and a staging failure scrolled past 30 minutes earlier.
 */
function failuresIn(report: VitestReport): string[] {
  const firstLines = (text: string) => text.split('\n').filter((line) => line.trim() !== '' && !/^\s+at /.test(line)).slice(0, 6).map((line) => `       ${line.trimEnd()}`);
  const failures: string[] = [];
  for (const file of report.testResults) {
    const where = path.relative(root, file.name);
    const failed = file.assertionResults.filter((test) => test.status === 'failed');
    for (const test of failed) failures.push([`  ${where} › ${test.fullName}`, ...firstLines(test.failureMessages.join('\n'))].join('\n'));
    // A file that failed outside any test (its setup, a hook, an import) has no failed test to name. vitest keeps a
    // describe block's failed hook on the block, which the JSON report leaves out: the file is named all the same.
    if (failed.length === 0 && file.message) failures.push([`  ${where} (outside any test)`, ...firstLines(file.message)].join('\n'));
    else if (failed.length === 0 && file.status === 'failed') failures.push(`  ${where} (failed in a hook: its error is in the log above)`);
  }
  return failures;
}

/** One step of a group: every line of its output prefixed with its name, as the steps beside it write too. */
function runBeside(step: Step): Promise<Result> {
  const prefix = `[${step.name.replace(/^vitest /, '')}] `;
  console.log(`\n── ${step.name}${step.lane ? ` (lane ${step.lane})` : ''}: ${step.command.join(' ')}`);
  const begin = Date.now();
  const child = spawn(step.command[0]!, step.command.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  // The suites' own progress lines already carry the prefix ("[staging] up …"): not twice.
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => console.log(line.startsWith(prefix) ? line : `${prefix}${line}`));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const result = resultOf(step, code === 0, (Date.now() - begin) / 1000);
      console.log(`── ${step.name}: ${result.ok ? 'ok' : 'FAILED'} in ${result.seconds.toFixed(1)} s`);
      resolve(result);
    });
  });
}

const chosen = steps.filter((step) => step.when !== false);
// The steps before the lanes run side by side too: setup's apt (a fresh machine's Debian packages) needs the network
// and dpkg, the binaries step the Go toolchain, and neither needs the other.
results.push(...(await Promise.all(chosen.filter((entry) => entry.lane === undefined).map(runBeside))));
const lanes = [...new Set(chosen.flatMap((step) => (step.lane === undefined ? [] : [step.lane])))];
const laneResults = await Promise.all(
  lanes.map(async (lane) => {
    const done: Result[] = [];
    for (const step of chosen.filter((entry) => entry.lane === lane)) done.push(await runBeside(step));
    return done;
  }),
);
// The summary lists the steps in the order they are declared above, whichever lane finished first.
results.push(...chosen.filter((step) => step.lane !== undefined).map((step) => laneResults.flat().find((result) => result.name === step.name)!));

// Ours to stop if the monitoring project never waited for it: its process group, by the id we started it with. A group
// that is gone already is fine.
try {
  if (promtoolBuild.pid !== undefined) process.kill(-promtoolBuild.pid, 'SIGTERM');
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
}
const promtoolReport = readFileSync(promtoolLog, 'utf8').trim().split('\n').at(-1) ?? '';

console.log('\n── summary');
console.log(`background: ${promtoolReport || 'promtool build printed nothing'}`);
for (const result of results) {
  const counts = result.name.startsWith('vitest') ? ` (${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped)` : '';
  console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name.padEnd(28)} ${result.seconds.toFixed(1).padStart(7)} s${counts}`);
}
const failures = results.flatMap((result) => result.failures.map((failure) => `${result.name}: ${failure.trimStart()}`));
if (failures.length > 0) console.log(`\nwhat failed:\n${failures.map((failure) => `  ${failure}`).join('\n')}\n`);
const total = (key: 'passed' | 'failed' | 'skipped') => results.reduce((sum, result) => sum + result[key], 0);
console.log(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`);
process.exitCode = results.every((result) => result.ok) ? 0 : 1;
