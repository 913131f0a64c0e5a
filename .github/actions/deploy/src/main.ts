// The deploy action: read inputs, run the library's deploy, write outputs and the job summary; fail unless converged.
import * as core from '@actions/core';
import { runDeploy } from '../../../../generator/deploy/deploy.ts';
import { formatReportMarkdown, formatReportText } from '../../../../generator/deploy/report.ts';
import type { ResolveImage } from '../../../../generator/deploy/stackDeploy.ts';
import { ENVIRONMENT_NAME_RULE, isEnvironmentName, quoted } from '../../../../generator/topology/names.ts';
import { annotateProblems, messageOf } from '../../shared/src/annotations.ts';
import { execDocker } from '../../shared/src/execRunner.ts';

const RESOLVE_IMAGE: readonly string[] = ['always', 'changed', 'never'];

export async function run(): Promise<void> {
  try {
    const environment = core.getInput('environment', { required: true });
    if (!isEnvironmentName(environment)) {
      core.setFailed(`environment ${quoted(environment)}: ${ENVIRONMENT_NAME_RULE}`);
      return;
    }
    const root = core.getInput('working-directory') || '.';
    // Empty: the topology's swarm.resolveImage decides.
    const resolveImage = core.getInput('resolve-image');
    if (resolveImage !== '' && !RESOLVE_IMAGE.includes(resolveImage)) {
      core.setFailed(`resolve-image "${resolveImage}": expected one of ${RESOLVE_IMAGE.join(', ')}`);
      return;
    }

    const report = await runDeploy({
      root,
      environment,
      runner: execDocker,
      log: core.info,
      ...(resolveImage !== '' ? { resolveImage: resolveImage as ResolveImage } : {}),
      ...(process.env.GITHUB_SHA ? { commit: process.env.GITHUB_SHA } : {}),
    });
    annotateProblems(report.topologyProblems);
    for (const note of report.notes) core.info(note);
    if (report.rows.length > 0) core.info(formatReportText(report.rows));
    core.setOutput('converged', String(report.ok));
    core.setOutput('phase', report.phase);

    const timings = report.timings
      .filter((timing) => timing.phase !== 'topology')
      .map((timing) => `${timing.phase} ${(timing.ms / 1000).toFixed(1)} s`)
      .join(', ');
    const summary = core.summary.addHeading(`deploy ${environment}: ${report.ok ? 'converged' : `failed in ${report.phase}`}`, 2).addRaw(`${timings}\n\n`);
    if (report.rows.length > 0) summary.addRaw(formatReportMarkdown(report.rows)).addEOL();
    if (report.problems.length > 0) summary.addHeading('problems', 3).addList(report.problems);
    if (report.notes.length > 0) summary.addHeading('notes', 3).addList(report.notes);
    await summary.write();

    if (!report.ok) core.setFailed(report.problems.join('\n') || `deploy stopped in ${report.phase}`);
  } catch (error) {
    core.setFailed(messageOf(error));
  }
}
