import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  markdownToTerminal
} from "./chunk-JISYSNZN.js";
import {
  runDiff
} from "./chunk-LFOPRDZN.js";
import "./chunk-PPBAKJUH.js";
import {
  dockerFor,
  loadEnvironment,
  processDocker,
  readEnvFile
} from "./chunk-LB2O7ATV.js";
import "./chunk-7RFT6GXS.js";
import "./chunk-C6KIAFBQ.js";
import "./chunk-MQ2ZPAUY.js";
import {
  RENDERED_DIR,
  assertEnvironmentName,
  assertRepositoryRoot,
  formatProblem
} from "./chunk-K5CMLZDE.js";
import {
  UsageError
} from "./chunk-2LNUBGRU.js";
import "./chunk-JODZXVQZ.js";
import {
  EXIT
} from "./chunk-F2OZ5ZEY.js";

// generator/commands/diff.ts
import { readFile } from "node:fs/promises";
import path from "node:path";

// generator/diff/report.ts
var STATES = {
  "in-sync": "in sync",
  differs: "differs",
  missing: "missing",
  takeover: "not deployed by milvus-swarm (takeover)"
};
var cell = (text) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
function differencesCell(service) {
  if (service.differences.length === 0) return service.state === "missing" ? "not running" : "";
  return service.differences.map((difference) => `${difference.field}: ${difference.live} \u2192 ${difference.rendered}`).map(cell).join("<br>");
}
function diffVerdict(report) {
  if (report.inSync) return `diff ${report.environment}: in sync with rendered/${report.environment}/`;
  const differing = report.services.filter((service) => service.state !== "in-sync").length;
  const parts = [
    ...differing > 0 ? [`${differing} of ${report.services.length} services differ`] : [],
    ...report.orphans.length > 0 ? [`${report.orphans.length} to remove`] : [],
    ...report.nodeLabels.length > 0 ? [`${report.nodeLabels.length} node label change${report.nodeLabels.length === 1 ? "" : "s"}`] : [],
    ...report.missingSecrets.length > 0 ? [`${report.missingSecrets.length} secret${report.missingSecrets.length === 1 ? "" : "s"} missing`] : []
  ];
  return `diff ${report.environment}: ${parts.join(", ")}${report.takeover ? " \u2014 a takeover of services milvus-swarm did not deploy" : ""}`;
}
function formatDiffMarkdown(report) {
  const lines = [`## ${diffVerdict(report)}`, ""];
  if (report.takeover) {
    lines.push(
      `The next \`npx milvus-swarm deploy --env ${report.environment}\` takes these services over: it checks first that every etcd member and MinIO node would start on the data it runs on now (and refuses otherwise), restarts what differs in the order below, and labels them as milvus-swarm's.`,
      ""
    );
  }
  const shown = report.services.filter((service) => service.state !== "in-sync");
  if (shown.length > 0) {
    lines.push("| service | state | what deploy does | data at stake | live \u2192 rendered |", "| --- | --- | --- | --- | --- |");
    for (const service of shown) lines.push(`| ${service.service} | ${STATES[service.state]} | ${cell(service.deploy)} | ${cell(service.dataAtStake ?? "")} | ${differencesCell(service)} |`);
    lines.push("");
  }
  const inSync = report.services.filter((service) => service.state === "in-sync").map((service) => service.service);
  if (inSync.length > 0 && shown.length > 0) lines.push(`In sync: ${inSync.join(", ")}.`, "");
  if (report.orphans.length > 0) lines.push(`milvus-swarm's own services the topology no longer has, which deploy removes: ${report.orphans.join(", ")}.`, "");
  if (report.nodeLabels.length > 0) lines.push("Node labels:", "", ...report.nodeLabels.map((line) => `- ${line}`), "");
  if (report.missingSecrets.length > 0) {
    lines.push(
      `Secrets the topology names that do not exist (deploy refuses until they do): ${report.missingSecrets.map((name) => `\`${name}\``).join(", ")} \u2014 \`printf '%s' "$VALUE" | docker secret create NAME -\`.`,
      ""
    );
  }
  if (report.foreign.length > 0) lines.push(`Left alone (in the stack's namespace, not milvus-swarm's): ${report.foreign.join(", ")}.`, "");
  return `${lines.join("\n").trimEnd()}
`;
}

// generator/commands/diff.ts
async function diffCommand(options, io, runner = processDocker) {
  if (!options.environment) throw new UsageError("diff needs --env NAME (one of environments/*.yaml)");
  assertEnvironmentName(options.environment);
  await assertRepositoryRoot(io.cwd);
  const loaded = await loadEnvironment(io.cwd, options.environment);
  if (!loaded.ok) {
    for (const problem of loaded.problems) io.err(formatProblem(problem));
    io.err(`${loaded.source.file} is invalid: fix it before comparing`);
    return EXIT.failed;
  }
  const stackFile = path.join(io.cwd, RENDERED_DIR, options.environment, "stack.yaml");
  const stackText = await readFile(stackFile, "utf8").catch(() => {
    throw new UsageError(`${RENDERED_DIR}/${options.environment}/stack.yaml does not exist: run \`npx milvus-swarm render --env ${options.environment}\``);
  });
  const values = await readEnvFile(io.cwd, options.envFile);
  const report = await runDiff(loaded.model, stackText, dockerFor(values, (args, callOptions = {}) => runner(args, { ...callOptions, env: callOptions.env ?? io.env })));
  const format = options.format === void 0 || options.format === "auto" ? io.terminal ? "text" : "markdown" : options.format;
  if (format === "json") io.out(JSON.stringify(report, null, 2));
  else if (format === "text") io.out(markdownToTerminal(formatDiffMarkdown(report), io.terminal?.columns ?? 100).trimEnd());
  else io.out(formatDiffMarkdown(report).trimEnd());
  return report.inSync ? EXIT.ok : EXIT.failed;
}
export {
  diffCommand
};
