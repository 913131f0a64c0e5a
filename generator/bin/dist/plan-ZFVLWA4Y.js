import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  blockingChanges,
  blocks,
  describeStep,
  planEnvironment,
  planEnvironmentSteps,
  plural,
  unusedAcknowledgements
} from "./chunk-5OOBUWUU.js";
import "./chunk-VGCQJTHM.js";
import {
  markdownToTerminal
} from "./chunk-JISYSNZN.js";
import {
  code,
  table
} from "./chunk-L6EL3X6N.js";
import "./chunk-MQ2ZPAUY.js";
import {
  ENVIRONMENTS_DIR,
  assertEnvironmentName,
  assertRepositoryRoot,
  countLine,
  formatProblem,
  listEnvironments,
  readEnvironment,
  readFromDirectory,
  readTemplates,
  readTopologyFile,
  validateTopology
} from "./chunk-K5CMLZDE.js";
import {
  UsageError
} from "./chunk-2LNUBGRU.js";
import {
  ENVIRONMENT_NAME_RULE,
  isEnvironmentName,
  quoted
} from "./chunk-JODZXVQZ.js";
import {
  EXIT
} from "./chunk-F2OZ5ZEY.js";

// generator/commands/plan.ts
import { execFile } from "node:child_process";
import path2 from "node:path";
import { promisify } from "node:util";

// generator/plan/markdown.ts
var NO_CHANGES = "no changes";
function renderPlan(title, plans) {
  const blocking = plans.flatMap((plan) => plan.changes.filter(blocks));
  const lines = [`## Plan: ${title}`, "", ...plans.map((plan) => `- **${plan.environment}**: ${summary(plan.changes)}`), ""];
  if (blocking.length > 0) {
    lines.push(`**Refused**: ${plural(blocking.length, "destructive change is", "destructive changes are")} not acknowledged.`, "");
  }
  for (const plan of plans.filter((entry) => entry.changes.length > 0 || entry.unusedAcknowledgements.length > 0)) {
    lines.push(`### ${plan.environment}`, "");
    if (plan.changes.length > 0) lines.push(changeTable(plan.changes), "");
    if ((plan.steps ?? []).length > 0) lines.push(...stepList(plan.steps), "");
    const blocking2 = plan.changes.filter(blocks);
    if (blocking2.length > 0) {
      const where = blocking2.every((change) => change.id.startsWith("environment-removed:")) ? `in ${plan.file} in a change before the one that deletes it` : `in ${plan.file}, in the same pull request`;
      lines.push(`To accept a destructive change after review, list its id under ${code("acknowledge:")} ${where}.`, "");
    }
    if (plan.unusedAcknowledgements.length > 0) {
      const ids = plan.unusedAcknowledgements.map(code).join(", ");
      lines.push(
        `${code("acknowledge:")} in ${plan.file} lists ${ids}, matching no change here: remove ${plan.unusedAcknowledgements.length === 1 ? "it" : "them"} once deployed, or the next change with the same id is accepted unreviewed.`,
        ""
      );
    }
  }
  return lines.join("\n").trimEnd() + "\n";
}
function summary(changes) {
  if (changes.length === 0) return NO_CHANGES;
  const count = (test) => changes.filter(test).length;
  const parts = [
    [count(blocks), "destructive (not acknowledged)"],
    [count((change) => change.class === "destructive" && change.acknowledged), "destructive (acknowledged)"],
    [count((change) => change.class === "care"), "care"],
    [count((change) => change.class === "safe"), "safe"]
  ];
  return `${plural(changes.length, "change")}: ${parts.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`).join(", ")}`;
}
function stepList(steps) {
  return [
    `Steps, in the order they run (each waits until its checks pass; the command does the same by hand):`,
    "",
    table(
      ["#", "step", "does", "checks before the next"],
      steps.map((step, index) => [String(index + 1), code(step.id), describeStep(step), step.verifyAfter.map(code).join(", ") || "\u2014"])
    )
  ];
}
function changeTable(changes) {
  return table(
    ["class", "id", "what", "why", "procedure"],
    changes.map((change) => [
      `${change.class === "destructive" ? "**destructive**" : change.class}${change.acknowledged ? " (acknowledged)" : ""}`,
      code(change.id),
      change.what,
      change.why,
      (change.procedure ?? []).map((step, index) => `${index + 1}. ${step}`).join("<br>") || "\u2014"
    ])
  );
}

// generator/workspace/planFiles.ts
import path from "node:path";
function planFilesEnvironment(to, flag) {
  if (flag !== void 0) {
    assertEnvironmentName(flag);
    return flag;
  }
  const stem = path.basename(to).replace(/\.ya?ml$/, "");
  if (isEnvironmentName(stem)) return stem;
  const folder = path.dirname(to) === "." ? void 0 : path.basename(path.resolve("/", path.dirname(to)));
  if (folder !== void 0 && folder !== ENVIRONMENTS_DIR && isEnvironmentName(folder)) return folder;
  const shown = quoted(to) === JSON.stringify(to) && !/["\\]/.test(to) ? to : quoted(to);
  if (folder === void 0) {
    throw new UsageError(`--to ${shown}: the file name gives the environment name ${quoted(stem)}, but ${ENVIRONMENT_NAME_RULE}: name the environment with --env NAME (or rename the file)`);
  }
  throw new UsageError(
    `--to ${shown}: neither the file name (${quoted(stem)}) nor its folder (${quoted(folder)}${folder === ENVIRONMENTS_DIR ? ", the folder of every environment" : ""}) names an environment (${ENVIRONMENT_NAME_RULE}): name the environment with --env NAME`
  );
}

// generator/commands/plan.ts
async function planCommand(options, io) {
  const input = await readPlanInput(options, io);
  const problems = [];
  const validated = (source) => {
    if (!source) return void 0;
    const result = validateTopology(source.file, source.text);
    if (result.ok) return result.topology;
    problems.push(...result.problems);
    return void 0;
  };
  const sides = input.environments.map((sources) => ({ sources, before: validated(sources.before), after: validated(sources.after) }));
  if (problems.some((problem) => problem.severity === "error")) {
    for (const problem of problems) io.err(formatProblem(problem));
    io.err(`${countLine(problems)}: no plan`);
    return EXIT.failed;
  }
  const plans = sides.map(({ sources, before, after }) => {
    const context = { environment: sources.environment, templates: input.templates };
    const changes = planEnvironment(before, after, context);
    return { environment: sources.environment, file: sources.file, changes, steps: planEnvironmentSteps(before, after, context), unusedAcknowledgements: unusedAcknowledgements(after, changes) };
  });
  const format = options.format === void 0 || options.format === "auto" ? io.terminal ? "text" : "markdown" : options.format;
  if (format === "json") io.out(JSON.stringify({ title: input.title, environments: plans }, null, 2));
  else if (format === "text") io.out(markdownToTerminal(renderPlan(input.title, plans), io.terminal?.columns ?? 100).trimEnd());
  else io.out(renderPlan(input.title, plans).trimEnd());
  if (plans.some((plan) => blockingChanges(plan.changes).length > 0)) return EXIT.destructive;
  return options.detailedExitCode && plans.some((plan) => plan.changes.length > 0) ? EXIT.changes : EXIT.ok;
}
async function readPlanInput(options, io) {
  const files = options.from !== void 0 || options.to !== void 0;
  if (options.base !== void 0 && files) throw new UsageError("use either --base REF or --from FILE --to FILE, not both");
  if (options.base !== void 0 && options.environment !== void 0) throw new UsageError("--env names the environment of --from/--to files; --base plans every environment in environments/");
  if (options.base !== void 0) return readBase(options.base, io);
  if (options.from === void 0 || options.to === void 0) throw new UsageError("plan needs --base REF, or --from FILE and --to FILE");
  return readFiles(options.from, options.to, options.environment, io);
}
async function readFiles(from, to, flag, io) {
  const environment = planFilesEnvironment(to, flag);
  const read = async (file) => ({ ...await readTopologyFile(path2.resolve(io.cwd, file)), environment, file });
  const [before, after] = await Promise.all([read(from), read(to)]);
  return { title: `${from} \u2192 ${to}`, environments: [{ environment, file: to, before, after }] };
}
async function readBase(ref, io) {
  await assertRepositoryRoot(io.cwd);
  const git = gitAt(io);
  await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(() => {
    throw new UsageError(`--base ${ref}: not a commit of the git repository at ${io.cwd}`);
  });
  const listed = await git(["ls-tree", "--name-only", "-z", ref, "--", `${ENVIRONMENTS_DIR}/`]);
  const baseNames = listed.split("\0").map((file) => path2.posix.basename(file)).filter((name) => name.endsWith(".yaml") && isEnvironmentName(name.slice(0, -".yaml".length))).map((name) => name.slice(0, -".yaml".length));
  const workingNames = await listEnvironments(io.cwd);
  const names = [.../* @__PURE__ */ new Set([...baseNames, ...workingNames])].sort();
  const environments = await Promise.all(
    names.map(async (environment) => {
      const file = `${ENVIRONMENTS_DIR}/${environment}.yaml`;
      const before = baseNames.includes(environment) ? { environment, file: `${ref}:${file}`, text: await git(["show", `${ref}:./${file}`]) } : void 0;
      const after = workingNames.includes(environment) ? await readEnvironment(io.cwd, environment) : void 0;
      return { environment, file, before, after };
    })
  );
  const templates = await readTemplatePair(ref, io, git);
  return { title: `${code(ref)} \u2192 working tree`, environments, templates };
}
async function readTemplatePair(ref, io, git) {
  const before = await readTemplates((file) => git(["show", `${ref}:./${file}`])).catch(() => void 0);
  if (before === void 0) return void 0;
  const after = await readTemplates(readFromDirectory(io.cwd)).catch(() => readTemplates());
  return { before, after };
}
var run = promisify(execFile);
function gitAt(io) {
  return async (args) => {
    try {
      const { stdout } = await run("git", args, { cwd: io.cwd, env: io.env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const failure = error;
      if (failure.code === "ENOENT") throw new Error("git is not installed or not on PATH: --base needs it");
      throw new Error(`git ${args.join(" ")}: ${(failure.stderr ?? failure.message).trim().split("\n")[0]}`);
    }
  };
}
export {
  planCommand
};
