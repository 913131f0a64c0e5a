// load → schema → rules: a topology file's text becomes a typed Topology, or the list of what is wrong with it.
import { locateProblem, parseTopologyText } from './load.ts';
import { formatPath, formatProblem, sortProblems, type LocatedProblem, type Problem } from './problems.ts';
import { rules } from './rules/index.ts';
import { topologySchema, type Topology } from './schema.ts';
import { problemsFromIssues, unknownKeyProblem } from './schemaIssues.ts';
import { prototypeKeys, valueProblems } from './values.ts';

export type ValidationResult =
  | { ok: true; topology: Topology; warnings: LocatedProblem[] }
  | { ok: false; problems: LocatedProblem[] };

export function validateTopology(file: string, text: string): ValidationResult {
  const parsed = parseTopologyText(file, text);
  if (!parsed.ok) return parsed;
  const { source } = parsed;

  // What no value may be, whatever the schema expects there (a control character, .inf), and `__proto__` keys, which
  // zod's records drop without a word. Where one of these is reported, the schema's own word on that value is not.
  const early: Problem[] = [...valueProblems(source.data, source.writtenAs), ...prototypeKeys(source.data).map((path) => unknownKeyProblem(path, topologySchema))];
  const result = topologySchema.safeParse(source.data ?? {}, { reportInput: true });
  if (!result.success || early.length > 0) {
    const reported = new Set(early.map((problem) => formatPath(problem.path)));
    const schemaProblems = result.success ? [] : problemsFromIssues(result.error.issues, topologySchema).filter((problem) => !reported.has(formatPath(problem.path)));
    const problems = [...early, ...schemaProblems].map((problem) => locateProblem(source, problem));
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
