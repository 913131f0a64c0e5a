// The deploy action: read inputs, run the library's deploy, write outputs and the job summary; fail unless converged.
import * as core from '@actions/core';
import { POINT_KEY_VARIABLE } from '../../../../generator/backup/pointKey.ts';
import { runDeploy } from '../../../../generator/deploy/deploy.ts';
import type { DeployReport } from '../../../../generator/deploy/runner/contract.ts';
import { readDeployedTopology } from '../../../../generator/deploy/operations/deployedTopology.ts';
import { judgeRevision } from '../../../../generator/deploy/operations/revisionGate.ts';
import { loadEnvironment } from '../../../../generator/workspace/environment.ts';
import { defaultBranch, relationTo, remoteHead } from './revision.ts';
import { deployVerdict, failureBudgetLines, formatReportMarkdown, formatReportText, formatStopPoint, phaseTimings, slowestPhases } from '../../../../generator/deploy/report.ts';
import { isResolveImage, RESOLVE_IMAGE } from '../../../../generator/topology/resolveImage.ts';
import { annotateProblems, messageOf } from '../../shared/src/annotations.ts';
import { execDocker } from '../../shared/src/execRunner.ts';
import { environmentInput } from '../../shared/src/inputs.ts';
import { PASSWORD_VARIABLE, rootCredentialsFrom, USER_VARIABLE, VERIFY_PASSWORD_VARIABLE, VERIFY_USER_VARIABLE, verifyUserCredentialsFrom } from '../../../../generator/cluster/credentials.ts';

export async function run(): Promise<void> {
  try {
    const environment = environmentInput();
    if (environment === undefined) return;
    const root = core.getInput('working-directory') || '.';
    // Empty: the topology's swarm.resolveImage decides.
    const resolveImage = core.getInput('resolve-image');
    const noRecoveryPoint = core.getInput('no-recovery-point') || 'false';
    if (noRecoveryPoint !== 'true' && noRecoveryPoint !== 'false') {
      core.setFailed(`no-recovery-point "${noRecoveryPoint}": expected true or false`);
      return;
    }
    if (resolveImage !== '' && !isResolveImage(resolveImage)) {
      core.setFailed(`resolve-image "${resolveImage}": expected one of ${RESOLVE_IMAGE.join(', ')}`);
      return;
    }

    const loaded = await loadEnvironment(root, environment);
    if (!(await revisionAllowed(root, environment, loaded.ok ? loaded.model.stack : undefined))) return;

    // deploy.yml's env: root's pair makes verify's user (the verify-user phase). Masked, secret keys first.
    for (const name of [PASSWORD_VARIABLE, VERIFY_PASSWORD_VARIABLE, USER_VARIABLE, VERIFY_USER_VARIABLE]) {
      const value = process.env[name];
      if (value) core.setSecret(value);
    }
    // The backup S3 target's secret key, under the name the topology gives it (a recovery point before a care change).
    const s3 = loaded.ok ? loaded.topology.backup?.targets.s3 : undefined;
    if (s3 && process.env[s3.secretKeyVariable]) core.setSecret(process.env[s3.secretKeyVariable]!);
    // The key recovery points are signed with (deploy's point before a care change).
    if (process.env[POINT_KEY_VARIABLE]) core.setSecret(process.env[POINT_KEY_VARIABLE]!);
    const report = await runDeploy({
      root,
      environment,
      runner: execDocker,
      log: core.info,
      ...(resolveImage !== '' ? { resolveImage } : {}),
      ...(process.env.GITHUB_SHA ? { commit: process.env.GITHUB_SHA } : {}),
      minio: { root: rootCredentialsFrom(process.env), verify: verifyUserCredentialsFrom(process.env) },
      ...(noRecoveryPoint === 'true' ? { noRecoveryPoint: true } : {}),
      backupValues: [process.env],
    });
    annotateProblems(report.topologyProblems);
    for (const note of report.notes) core.info(note);
    if (report.rows.length > 0) core.info(formatReportText(report.rows));
    for (const line of failureBudgetLines(report)) core.info(line);
    core.setOutput('converged', String(report.ok));
    core.setOutput('phase', report.phase);

    await writeSummary(report);

    if (!report.ok) core.setFailed(report.problems.join('\n') || `deploy stopped in ${report.phase}`);
  } catch (error) {
    core.setFailed(messageOf(error));
  }
}

/** The job summary: the verdict and timings, the recovery point, the report table, the failure budget, problems, the stop point, notes. */
async function writeSummary(report: DeployReport): Promise<void> {
  const slowest = slowestPhases(report);
  const summary = core.summary.addHeading(deployVerdict(report), 2).addRaw(`${phaseTimings(report)}\n\n`);
  if (slowest) summary.addRaw(`${slowest}\n\n`);
  if (report.recoveryPoint) summary.addHeading('recovery point', 3).addRaw(`${report.recoveryPoint}\n\n`);
  if (report.rows.length > 0) summary.addRaw(formatReportMarkdown(report.rows)).addEOL();
  if (report.failureBudget) summary.addHeading('failure budget', 3).addList(failureBudgetLines(report));
  if (report.problems.length > 0) summary.addHeading('problems', 3).addList(report.problems);
  if (report.stopped) summary.addHeading('where it stopped', 3).addList(formatStopPoint(report));
  if (report.notes.length > 0) summary.addHeading('notes', 3).addList(report.notes);
  await summary.write();
}

/**
 * The default branch's head only: never another branch, never an older commit (operations/revisionGate.ts). Without
 * docker the deployed commit cannot be read: preflight then stops the deploy, saying why. false: refused (failed).
 */
async function revisionAllowed(root: string, environment: string, stack: string | undefined): Promise<boolean> {
  const sha = process.env.GITHUB_SHA ?? '';
  const token = core.getInput('github-token');
  if (token) core.setSecret(token);
  const branch = await defaultBranch(process.env.GITHUB_EVENT_PATH);
  const deployed = stack ? await readDeployedTopology(execDocker, stack) : undefined;
  const deployedCommit = deployed?.ok ? deployed.value?.commit : undefined;
  const head = (process.env.GITHUB_REF ?? '') === `refs/heads/${branch}` ? await remoteHead(root, branch, token || undefined) : undefined;
  const verdict = judgeRevision({
    ref: process.env.GITHUB_REF ?? '',
    defaultBranch: branch,
    sha,
    ...(head?.ok ? { head: head.sha } : head ? { headProblem: head.problem } : {}),
    deployedCommit,
    relation: deployed?.ok ? await relationTo(root, sha, deployedCommit, deployed.value !== undefined) : 'unknown',
  });
  if (!verdict.ok) {
    core.setOutput('converged', 'false');
    core.setOutput('phase', 'revision');
    await core.summary.addHeading(`deploy ${environment}: refused`, 2).addRaw(`${verdict.problem}\n`).write();
    core.setFailed(verdict.problem);
    return false;
  }
  if (deployed?.ok) core.info(verdict.note);
  return true;
}
