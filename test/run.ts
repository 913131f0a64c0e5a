// `npm test`: every check this repository has, each timed; ends with one plain "N passed, N failed" line (vitest
// tests plus the non-vitest steps) and exits non-zero if anything failed. Steps after a failure still run, so one CI
// run shows everything that is wrong.
//
// The staging project (ten engines in their own namespaces) is the long pole: 24–29 minutes of drills on a clean machine that mostly
// wait on swarm convergence. So once the binaries every swarm needs are built, it starts at once, and everything else
// runs beside it in two more lanes, each one step after another: the static checks, the unit project, then the e2e
// project (the one-node swarm on this machine's engine; it shares nothing with staging but the caches); and the
// monitoring lane: the builds of promtool, Prometheus and Alertmanager, the monitoring project (promtool, no Docker),
// then the processes project (etcd and MinIO processes on loopback, free ports). Each lane's lines are prefixed with
// its step's name (test/README.md: what each part costs, and why the lanes are cut this way).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

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
  { ...vitest('e2e'), when: !unitOnly, lane: 'checks' },
  // A lane of its own beside the swarms: a clean machine's builds of promtool (at normal priority, for the monitoring
  // project) and of Prometheus and Alertmanager (niced, for the staging drills about 20 minutes later): about 320
  // core-seconds in all (test/buildMonitoringBinaries.ts).
  { name: 'monitoring binaries', command: ['npx', 'tsx', 'test/buildMonitoringBinaries.ts'], when: !unitOnly, lane: 'monitoring' },
  // It needs no Docker; with --unit-only its global setup builds promtool itself.
  { ...vitest('monitoring'), lane: 'monitoring' },
  // Here rather than before the e2e project: on a cold run the checks lane ended last, about 85 s after staging, and
  // the last minutes of a cold run leave a core idle while staging's drills wait on their faults.
  { ...vitest('processes'), lane: 'monitoring' },
];

rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

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

console.log('\n── summary');
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
