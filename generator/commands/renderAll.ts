// Shared by render and check: validate and render environments, printing problems in the one format.
import { countLine, formatProblem, type LocatedProblem } from '../topology/problems.ts';
import { renderSource, type EnvironmentResult, type TopologySource } from '../workspace/pipeline.ts';
import { readTemplates } from '../workspace/repository.ts';
import type { CommandIO } from './io.ts';

export type RenderedEnvironment = Extract<EnvironmentResult, { ok: true }>;

/**
 * Renders every source; prints warnings always and errors when any; returns undefined when anything failed.
 * `found` are problems found before rendering (a misnamed file in environments/), printed and counted with the rest.
 */
export async function renderSources(sources: readonly TopologySource[], io: CommandIO, found: readonly LocatedProblem[] = []): Promise<RenderedEnvironment[] | undefined> {
  const templates = await readTemplates();
  const results = sources.map((source) => renderSource(source, templates));
  const problems: LocatedProblem[] = [...found, ...results.flatMap((result) => (result.ok ? result.warnings : result.problems))];
  for (const problem of problems) io.err(formatProblem(problem));
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0 || found.some((problem) => problem.severity === 'error')) {
    io.err(`${countLine(problems)}: nothing was written`);
    return undefined;
  }
  return results as RenderedEnvironment[];
}
