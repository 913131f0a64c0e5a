// The diff action: read inputs, compare the live swarm with rendered/ (the library's diff), write outputs and the job
// summary; fail when anything differs, so the scheduled drift workflow goes red on a hand edit.
import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runDiff } from '../../../../generator/diff/diff.ts';
import { diffVerdict, formatDiffMarkdown } from '../../../../generator/diff/report.ts';
import { formatProblem } from '../../../../generator/topology/problems.ts';
import { loadEnvironment } from '../../../../generator/workspace/environment.ts';
import { RENDERED_DIR } from '../../../../generator/workspace/repository.ts';
import { annotateProblems, messageOf } from '../../shared/src/annotations.ts';
import { execDocker } from '../../shared/src/execRunner.ts';
import { environmentInput } from '../../shared/src/inputs.ts';
import { runUrl, trackInIssue } from '../../shared/src/githubIssues.ts';

export async function run(): Promise<void> {
  try {
    const environment = environmentInput();
    if (environment === undefined) return;
    const root = core.getInput('working-directory') || '.';
    const loaded = await loadEnvironment(root, environment);
    if (!loaded.ok) {
      annotateProblems(loaded.problems);
      core.setFailed(`${loaded.source.file} is invalid:\n${loaded.problems.map(formatProblem).join('\n')}`);
      return;
    }
    const stackText = await readFile(path.join(root, RENDERED_DIR, environment, 'stack.yaml'), 'utf8');
    const report = await runDiff(loaded.model, stackText, execDocker);
    const markdown = formatDiffMarkdown(report);
    core.info(markdown);
    const differing = report.services.filter((service) => service.state !== 'in-sync').length;
    core.setOutput('in-sync', String(report.inSync));
    core.setOutput('differing', String(differing));
    await core.summary.addRaw(markdown).addEOL().write();
    // Drift opens (or comments on) the environment's drift issue, in sync closes it (drift.yml passes its token).
    const issue = await trackInIssue(core.getInput('github-token'), {
      watch: 'drift',
      environment,
      red: !report.inSync,
      headline: diffVerdict(report),
      // The table without its heading (the headline says it).
      details: report.inSync ? '' : markdown.split('\n').slice(1).join('\n'),
      ...(runUrl() ? { runUrl: runUrl() } : {}),
    });
    core.info(`issue: ${issue}`);
    core.setOutput('issue', issue);
    if (!report.inSync) core.setFailed(`${diffVerdict(report)}: deploy makes it as rendered (npx milvus-swarm deploy --env ${environment}), or the topology says what runs`);
  } catch (error) {
    core.setFailed(messageOf(error));
  }
}
