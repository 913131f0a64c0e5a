// A workflow of the repository run by act on this machine, the way the self-hosted runner on a swarm manager runs it:
// the job's labels mapped to the host (`-P self-hosted=-self-hosted -P milvus-swarm-local=-self-hosted`), the secrets
// from local.env (`--secret-file`), a workflow_dispatch with its inputs. act's --json log carries every step's
// result and, per step, what the step wrote to GITHUB_STEP_SUMMARY (act reads the file after each step and logs it
// with command "summary": pkg/runner/step.go, processRunnerSummaryCommand).
import { ACT_REMOTE } from './scratch.ts';
import { runCommand } from '../../../generator/docker/cli.ts';
import { ensureAct } from '../harness/act.ts';
import { LOCAL_ENV_FILE } from '../harness/paths.ts';

export interface ActRun {
  code: number;
  wallMs: number;
  /** The job's result: success or failure (undefined when act never got that far). */
  jobResult?: string;
  /** Step name (the workflow's `name:`, or the action for a step without one) → result of its main stage. */
  steps: Map<string, string>;
  /** Step name → the markdown it wrote to the job summary. */
  summaries: Map<string, string>;
  /** act's output, for failure messages and the no-secret check. */
  output: string;
  /**
   * The output without the `::add-mask::` commands: act's --json log keeps each one's argument (the value to mask,
   * which the verify action sends for both credentials) in its `arg` and `raw` fields, while its message shows `***`.
   * Everything else must never hold a secret.
   */
  outputWithoutMaskCommands: string;
}

interface ActLine {
  msg?: string;
  /** Pre, Main or Post. */
  stage?: string;
  step?: string;
  stepResult?: string;
  jobResult?: string;
  command?: string;
  content?: string;
}

export interface WorkflowRun {
  cwd: string;
  timeoutMs: number;
  /** workflow_dispatch inputs (deploy.yml, verify.yml). */
  inputs?: Record<string, string>;
  /** Another event than workflow_dispatch, with the payload act reads (pr.yml: pull_request), or none (schedule). */
  event?: { name: string; payloadFile?: string };
  /** Only this job. */
  job?: string;
  /** The job's secrets (default: local.env, the local stack's credentials). */
  secretFile?: string;
  /** Repository variables (`vars.NAME`). */
  vars?: Record<string, string>;
  /** Variables act puts in the job's environment and its github context (GITHUB_API_URL: where the API is). */
  env?: Record<string, string>;
}

export async function runWorkflow(workflow: string, options: WorkflowRun): Promise<ActRun> {
  const { binary } = await ensureAct();
  const args = [
    options.event?.name ?? 'workflow_dispatch',
    '--workflows',
    `.github/workflows/${workflow}`,
    ...(options.event?.payloadFile ? ['--eventpath', options.event.payloadFile] : []),
    ...(options.job ? ['--job', options.job] : []),
    ...Object.entries(options.inputs ?? {}).flatMap(([name, value]) => ['--input', `${name}=${value}`]),
    '--platform',
    'self-hosted=-self-hosted',
    '--platform',
    'milvus-swarm-local=-self-hosted',
    // pr.yml's GitHub-hosted jobs run on this machine too (act's host mode): npm, git and node are here.
    '--platform',
    'ubuntu-latest=-self-hosted',
    '--secret-file',
    options.secretFile ?? LOCAL_ENV_FILE,
    ...Object.entries(options.vars ?? {}).flatMap(([name, value]) => ['--var', `${name}=${value}`]),
    ...Object.entries(options.env ?? {}).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
    // GITHUB_REPOSITORY from the scratch repository's GitHub-shaped remote (support/scratch.ts), not origin (a folder).
    '--remote-name',
    ACT_REMOTE,
    // Nothing leaves this machine: no cache server (the workflows use none).
    '--no-cache-server',
    // A failed job's host workspace (~/.cache/act/<random>/, 14 MB) is otherwise kept; a successful one is removed.
    '--rm',
    '--json',
  ];
  // ACT_DISABLE_VERSION_CHECK: act would otherwise ask api.nektosact.com for notices on every run.
  const result = await runCommand(binary, args, { cwd: options.cwd, timeoutMs: options.timeoutMs, env: { ...process.env, ACT_DISABLE_VERSION_CHECK: '1' } });
  const output = result.stdout + result.stderr;
  const run: ActRun = { code: result.code, wallMs: result.elapsedMs, steps: new Map(), summaries: new Map(), output, outputWithoutMaskCommands: '' };
  const kept: string[] = [];
  for (const text of output.split('\n')) {
    let line: ActLine;
    try {
      line = JSON.parse(text) as ActLine;
    } catch {
      kept.push(text);
      continue;
    }
    if (line.command !== 'add-mask') kept.push(text);
    if (line.jobResult) run.jobResult = line.jobResult;
    if (line.stage !== 'Main' || !line.step) continue;
    if (line.stepResult) run.steps.set(line.step, line.stepResult);
    if (line.command === 'summary' && line.content !== undefined) run.summaries.set(line.step, line.content);
  }
  run.outputWithoutMaskCommands = kept.join('\n');
  return run;
}

/** The last lines of act's log (messages only), for an assertion message. */
export function tail(run: ActRun, count = 25): string {
  const messages = run.output
    .split('\n')
    .map((text) => {
      try {
        return (JSON.parse(text) as ActLine).msg ?? text;
      } catch {
        return text;
      }
    })
    .filter((message) => message.trim() !== '');
  return messages.slice(-count).join('\n');
}
