// load → schema → rules: a topology file's text becomes a typed Topology, or the list of what is wrong with it.
import { locateProblem, parseTopologyText } from './load.ts';
import { formatProblem, sortProblems, type LocatedProblem, type Problem } from './problems.ts';
import { rules } from './rules/index.ts';
import { topologySchema, type Topology } from './schema.ts';
import { problemsFromIssues, unknownKeyProblem } from './schemaIssues.ts';
import { prototypeKeys } from './values.ts';

export type ValidationResult =
  | { ok: true; topology: Topology; warnings: LocatedProblem[] }
  | { ok: false; problems: LocatedProblem[] };

export function validateTopology(file: string, text: string): ValidationResult {
  const parsed = parseTopologyText(file, text);
  if (!parsed.ok) return parsed;
  const { source } = parsed;

  // zod's records drop a `__proto__` key without a word: every one is reported, as the unknown key it is.
  const valueProblems: Problem[] = prototypeKeys(source.data).map((path) => unknownKeyProblem(path, topologySchema));
  const result = topologySchema.safeParse(source.data ?? {}, { reportInput: true });
  if (!result.success || valueProblems.length > 0) {
    const problems = [...valueProblems, ...(result.success ? [] : problemsFromIssues(result.error.issues, topologySchema))].map((problem) => locateProblem(source, problem));
    return { ok: false, problems: sortProblems(unique(problems)) };
  }

  const problems = sortProblems(rules.flatMap((rule) => rule.check(result.data)).map((problem) => locateProblem(source, problem)));
  if (problems.some((problem) => problem.severity === 'error')) return { ok: false, problems };
  return { ok: true, topology: result.data, warnings: problems };
}

/** One line per problem: a value check and the schema may both see one `__proto__` key. */
function unique(problems: readonly LocatedProblem[]): LocatedProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const line = formatProblem(problem);
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
}
