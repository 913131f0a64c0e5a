// `plan --base REF` or `plan --from FILE --to FILE`: read both sides (git or files), validate them, classify every
// change with the plan library, print markdown. The I/O edge of generator/plan: nothing below it reads anything.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { blockingChanges, planEnvironment, planEnvironmentSteps, renderPlan, unusedAcknowledgements, type EnvironmentPlan, type TemplatePair } from '../plan/index.ts';
import { code } from '../render/markdown.ts';
import { markdownToTerminal } from '../render/terminalText.ts';
import { isEnvironmentName } from '../topology/names.ts';
import { countLine, formatProblem, type LocatedProblem } from '../topology/problems.ts';
import type { Topology } from '../topology/schema.ts';
import { validateTopology } from '../topology/validate.ts';
import { UsageError } from '../usageError.ts';
import { planFilesEnvironment } from '../workspace/planFiles.ts';
import type { TopologySource } from '../workspace/pipeline.ts';
import {
  assertRepositoryRoot,
  ENVIRONMENTS_DIR,
  listEnvironments,
  readEnvironment,
  readFromDirectory,
  readTemplates,
  readTopologyFile,
} from '../workspace/repository.ts';
import { EXIT, type CommandIO } from './io.ts';

export interface PlanOptions {
  base?: string;
  from?: string;
  to?: string;
  /** With --from/--to: the environment the files describe. */
  environment?: string;
  /** auto: text on a terminal, markdown otherwise (a job summary); json for machines. */
  format?: 'auto' | 'text' | 'markdown' | 'json';
  /** Exit 0 without changes, 4 with changes, 3 destructive (terraform's -detailed-exitcode). */
  detailedExitCode?: boolean;
}

/** One environment's two sides; a side is missing when the environment is added or removed. */
interface EnvironmentSources {
  environment: string;
  /** Where acknowledgements go: the after file (or the before file, for a removal). */
  file: string;
  before?: TopologySource;
  after?: TopologySource;
}

interface PlanInput {
  title: string;
  environments: EnvironmentSources[];
  templates?: TemplatePair;
}

export async function planCommand(options: PlanOptions, io: CommandIO): Promise<number> {
  const input = await readPlanInput(options, io);

  const problems: LocatedProblem[] = [];
  const validated = (source: TopologySource | undefined): Topology | undefined => {
    if (!source) return undefined;
    const result = validateTopology(source.file, source.text);
    if (result.ok) return result.topology;
    problems.push(...result.problems);
    return undefined;
  };
  const sides = input.environments.map((sources) => ({ sources, before: validated(sources.before), after: validated(sources.after) }));
  if (problems.some((problem) => problem.severity === 'error')) {
    for (const problem of problems) io.err(formatProblem(problem));
    io.err(`${countLine(problems)}: no plan`);
    return EXIT.failed;
  }

  const plans: EnvironmentPlan[] = sides.map(({ sources, before, after }) => {
    const context = { environment: sources.environment, templates: input.templates };
    const changes = planEnvironment(before, after, context);
    return { environment: sources.environment, file: sources.file, changes, steps: planEnvironmentSteps(before, after, context), unusedAcknowledgements: unusedAcknowledgements(after, changes) };
  });
  const format = options.format === undefined || options.format === 'auto' ? (io.terminal ? 'text' : 'markdown') : options.format;
  if (format === 'json') io.out(JSON.stringify({ title: input.title, environments: plans }, null, 2));
  else if (format === 'text') io.out(markdownToTerminal(renderPlan(input.title, plans), io.terminal?.columns ?? 100).trimEnd());
  else io.out(renderPlan(input.title, plans).trimEnd());
  if (plans.some((plan) => blockingChanges(plan.changes).length > 0)) return EXIT.destructive;
  return options.detailedExitCode && plans.some((plan) => plan.changes.length > 0) ? EXIT.changes : EXIT.ok;
}

async function readPlanInput(options: PlanOptions, io: CommandIO): Promise<PlanInput> {
  const files = options.from !== undefined || options.to !== undefined;
  if (options.base !== undefined && files) throw new UsageError('use either --base REF or --from FILE --to FILE, not both');
  if (options.base !== undefined && options.environment !== undefined) throw new UsageError('--env names the environment of --from/--to files; --base plans every environment in environments/');
  if (options.base !== undefined) return readBase(options.base, io);
  if (options.from === undefined || options.to === undefined) throw new UsageError('plan needs --base REF, or --from FILE and --to FILE');
  return readFiles(options.from, options.to, options.environment, io);
}

/** Two topology files of one environment, named anything: --env names the environment, or the files do (planFiles.ts). */
async function readFiles(from: string, to: string, flag: string | undefined, io: CommandIO): Promise<PlanInput> {
  const environment = planFilesEnvironment(to, flag);
  const read = async (file: string) => ({ ...(await readTopologyFile(path.resolve(io.cwd, file))), environment, file });
  const [before, after] = await Promise.all([read(from), read(to)]);
  return { title: `${from} → ${to}`, environments: [{ environment, file: to, before, after }] };
}

/** The working tree's environments/*.yaml against those at REF; an environment on one side only is added or removed. */
async function readBase(ref: string, io: CommandIO): Promise<PlanInput> {
  await assertRepositoryRoot(io.cwd);
  const git = gitAt(io);
  await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new UsageError(`--base ${ref}: not a commit of the git repository at ${io.cwd}`);
  });
  // Paths relative to the current directory (`REF:./path`, ls-tree's default), so a repository in a subfolder works.
  const listed = await git(['ls-tree', '--name-only', '-z', ref, '--', `${ENVIRONMENTS_DIR}/`]);
  const baseNames = listed
    .split('\0')
    .map((file) => path.posix.basename(file))
    .filter((name) => name.endsWith('.yaml') && isEnvironmentName(name.slice(0, -'.yaml'.length)))
    .map((name) => name.slice(0, -'.yaml'.length));
  const workingNames = await listEnvironments(io.cwd);
  const names = [...new Set([...baseNames, ...workingNames])].sort();

  const environments = await Promise.all(
    names.map(async (environment): Promise<EnvironmentSources> => {
      const file = `${ENVIRONMENTS_DIR}/${environment}.yaml`;
      const before = baseNames.includes(environment) ? { environment, file: `${ref}:${file}`, text: await git(['show', `${ref}:./${file}`]) } : undefined;
      const after = workingNames.includes(environment) ? await readEnvironment(io.cwd, environment) : undefined;
      return { environment, file, before, after };
    }),
  );

  const templates = await readTemplatePair(ref, io, git);
  return { title: `${code(ref)} → working tree`, environments, templates };
}

/** The nginx template at REF and in the working tree; without one at REF there is nothing to compare. */
async function readTemplatePair(ref: string, io: CommandIO, git: Git): Promise<TemplatePair | undefined> {
  const before = await readTemplates((file) => git(['show', `${ref}:./${file}`])).catch(() => undefined);
  if (before === undefined) return undefined;
  const after = await readTemplates(readFromDirectory(io.cwd)).catch(() => readTemplates());
  return { before, after };
}

type Git = (args: string[]) => Promise<string>;

const run = promisify(execFile);

function gitAt(io: CommandIO): Git {
  return async (args) => {
    try {
      const { stdout } = await run('git', args, { cwd: io.cwd, env: io.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { stderr?: string };
      if (failure.code === 'ENOENT') throw new Error('git is not installed or not on PATH: --base needs it');
      throw new Error(`git ${args.join(' ')}: ${(failure.stderr ?? failure.message).trim().split('\n')[0]}`);
    }
  };
}
