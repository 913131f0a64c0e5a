// The verify action: read inputs, run the library's checks, write outputs and the job summary; fail on any fail row.
import * as core from '@actions/core';
import { formatProblem } from '../../../../generator/topology/problems.ts';
import { credentialsFrom, redact, PASSWORD_VARIABLE, USER_VARIABLE, VERIFY_PASSWORD_VARIABLE, VERIFY_USER_VARIABLE } from '../../../../generator/cluster/credentials.ts';
import { describeEndpoints, resolveEndpoints } from '../../../../generator/cluster/endpoints.ts';
import { formatRowsMarkdown, formatRowsText, summaryLine } from '../../../../generator/verify/rows.ts';
import { POINT_KEY_VARIABLE, pointKeyFrom } from '../../../../generator/backup/pointKey.ts';
import { storesOf } from '../../../../generator/backup/sites.ts';
import { runVerify, type VerifyReport } from '../../../../generator/verify/verify.ts';
import { loadEnvironment } from '../../../../generator/workspace/environment.ts';
import { annotateProblems, messageOf } from '../../shared/src/annotations.ts';
import { execDocker } from '../../shared/src/execRunner.ts';
import { environmentInput } from '../../shared/src/inputs.ts';
import { runUrl, trackInIssue } from '../../shared/src/githubIssues.ts';

/** A red run opens (or comments on) the environment's issue, a green one closes it (verify.yml passes its token). */
function trackVerifyIssue(environment: string, report: VerifyReport, line: string, masked: readonly string[]): Promise<string> {
  const failing = report.rows.filter((row) => row.status === 'fail');
  return trackInIssue(core.getInput('github-token'), {
    watch: 'verify',
    environment,
    red: report.summary.status === 'fail',
    headline: line,
    // An issue is not a log: GitHub masks nothing there, so every credential it masks in the log is taken out here.
    details: failing.length > 0 ? redact(formatRowsMarkdown(failing), masked) : '',
    ...(runUrl() ? { runUrl: runUrl() } : {}),
  });
}

export async function run(): Promise<void> {
  try {
    const environment = environmentInput();
    if (environment === undefined) return;
    const root = core.getInput('working-directory') || '.';
    const inputs: Record<string, string> = {
      [VERIFY_USER_VARIABLE]: core.getInput('minio-verify-user'),
      [VERIFY_PASSWORD_VARIABLE]: core.getInput('minio-verify-password'),
      [USER_VARIABLE]: core.getInput('minio-root-user'),
      [PASSWORD_VARIABLE]: core.getInput('minio-root-password'),
    };
    // Every credential given is masked, used or not: secret keys first.
    const maskedValues: string[] = [];
    for (const name of [VERIFY_PASSWORD_VARIABLE, PASSWORD_VARIABLE, VERIFY_USER_VARIABLE, USER_VARIABLE]) {
      const value = inputs[name] || process.env[name];
      if (value) {
        core.setSecret(value);
        maskedValues.push(value);
      }
    }
    const credentials = credentialsFrom(inputs, process.env);

    const loaded = await loadEnvironment(root, environment);
    if (!loaded.ok) {
      annotateProblems(loaded.problems);
      core.setFailed(`${loaded.source.file} is invalid:\n${loaded.problems.map(formatProblem).join('\n')}`);
      return;
    }
    annotateProblems(loaded.warnings);
    const endpoints = resolveEndpoints(loaded.model, {
      etcd: core.getInput('etcd-endpoint') || undefined,
      s3: core.getInput('s3-endpoint') || undefined,
      console: core.getInput('console-endpoint') || undefined,
    });
    if (!endpoints.ok) {
      core.setFailed(endpoints.problems.join('\n'));
      return;
    }

    // With a backup: section, the recovery-point row lists the targets (an S3 target's keys from the job's env).
    const backup = loaded.topology.backup;
    const s3 = backup?.targets.s3;
    for (const value of [s3 ? process.env[s3.secretKeyVariable] : undefined, backup ? process.env[POINT_KEY_VARIABLE] : undefined]) {
      if (!value) continue;
      core.setSecret(value);
      maskedValues.push(value);
    }
    const report = await runVerify({
      model: loaded.model,
      endpoints: endpoints.endpoints,
      overridden: endpoints.overridden,
      credentials,
      runner: execDocker,
      ...(backup ? { recoveryPoints: { backup, stores: () => storesOf(backup.targets, process.env), pointKey: () => pointKeyFrom(process.env) } } : {}),
    });
    await publish(environment, report, maskedValues);
  } catch (error) {
    core.setFailed(messageOf(error));
  }
}

/**
 * The log, the outputs, the job summary, the warnings and the environment's issue (opened, commented or closed, with
 * every masked value kept out of it); fails the step on any failing row.
 */
async function publish(environment: string, report: VerifyReport, maskedValues: readonly string[]): Promise<void> {
  for (const note of report.notes) core.info(note);
  const line = summaryLine(environment, report.summary, report.elapsedMs);
  core.info(formatRowsText(report.rows));
  core.info(line);
  core.setOutput('status', report.summary.status);
  core.setOutput('pass', report.summary.pass);
  core.setOutput('warn', report.summary.warn);
  core.setOutput('fail', report.summary.fail);
  await core.summary.addHeading(`verify ${environment}: ${report.summary.status}`, 2).addRaw(`${line}\n\n${describeEndpoints(report.endpoints)}\n\n`).addRaw(formatRowsMarkdown(report.rows)).addEOL().write();
  for (const row of report.rows.filter((entry) => entry.status === 'warn')) core.warning(`${row.check}: ${row.reason}`);
  const issue = await trackVerifyIssue(environment, report, line, maskedValues);
  core.info(`issue: ${issue}`);
  core.setOutput('issue', issue);
  if (report.summary.status === 'fail') {
    core.setFailed(report.rows.filter((row) => row.status === 'fail').map((row) => `${row.check}: ${row.reason}`).join('\n'));
  }
}
