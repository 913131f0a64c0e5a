// Topology problems as GitHub annotations on the file, line and column they name.
import * as core from '@actions/core';
import { formatPath, type LocatedProblem } from '../../../../generator/topology/problems.ts';

export function annotateProblems(problems: readonly LocatedProblem[]): void {
  for (const problem of problems) {
    const properties = { title: `topology ${problem.severity}`, file: problem.file, startLine: problem.line, startColumn: problem.column };
    const message = `${formatPath(problem.path)}: ${problem.message}`;
    if (problem.severity === 'error') core.error(message, properties);
    else core.warning(message, properties);
  }
}

/** The error's message only: a stack trace helps nobody reading a job log. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
