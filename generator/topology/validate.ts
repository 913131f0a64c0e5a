// load → schema → rules: a topology file's text becomes a typed Topology, or the list of what is wrong with it.
import { locateProblem, parseTopologyText } from './load.ts';
import { sortProblems, type LocatedProblem } from './problems.ts';
import { rules } from './rules/index.ts';
import { topologySchema, type Topology } from './schema.ts';
import { problemsFromIssues } from './schemaIssues.ts';

export type ValidationResult =
  | { ok: true; topology: Topology; warnings: LocatedProblem[] }
  | { ok: false; problems: LocatedProblem[] };

export function validateTopology(file: string, text: string): ValidationResult {
  const parsed = parseTopologyText(file, text);
  if (!parsed.ok) return parsed;
  const { source } = parsed;

  const result = topologySchema.safeParse(source.data ?? {}, { reportInput: true });
  if (!result.success) {
    const problems = problemsFromIssues(result.error.issues, topologySchema).map((problem) => locateProblem(source, problem));
    return { ok: false, problems: sortProblems(problems) };
  }

  const problems = sortProblems(rules.flatMap((rule) => rule.check(result.data)).map((problem) => locateProblem(source, problem)));
  if (problems.some((problem) => problem.severity === 'error')) return { ok: false, problems };
  return { ok: true, topology: result.data, warnings: problems };
}
