import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  buildModel,
  readEnvironment,
  validateTopology
} from "./chunk-K5CMLZDE.js";
import {
  UsageError
} from "./chunk-2LNUBGRU.js";

// generator/workspace/environment.ts
function modelEnvironment(source) {
  const validated = validateTopology(source.file, source.text);
  if (!validated.ok) return { ok: false, source, problems: validated.problems };
  return { ok: true, source, topology: validated.topology, model: buildModel(source.environment, source.file, validated.topology), warnings: validated.warnings };
}
async function loadEnvironment(root, environment) {
  return modelEnvironment(await readEnvironment(root, environment));
}

// generator/cluster/credentials.ts
var USER_VARIABLE = "MINIO_ROOT_USER";
var PASSWORD_VARIABLE = "MINIO_ROOT_PASSWORD";
var VERIFY_USER_VARIABLE = "MINIO_VERIFY_USER";
var VERIFY_PASSWORD_VARIABLE = "MINIO_VERIFY_PASSWORD";
function parseEnvFile(text) {
  const values = {};
  const problems = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) {
      problems.push(`line ${index + 1}: expected KEY=value`);
      return;
    }
    let value = match[2];
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    values[match[1]] = value;
  });
  return { values, problems };
}
function pair(sources, userVariable, passwordVariable, user) {
  const pick = (name) => sources.map((source) => source[name]).find((value) => value !== void 0 && value !== "");
  const accessKey = pick(userVariable);
  const secretKey = pick(passwordVariable);
  return accessKey !== void 0 && secretKey !== void 0 ? { accessKey, secretKey, user } : void 0;
}
function credentialsFrom(...sources) {
  for (const source of sources) {
    const found = verifyUserCredentialsFrom(source) ?? rootCredentialsFrom(source);
    if (found) return found;
  }
  return verifyUserCredentialsFrom(...sources) ?? rootCredentialsFrom(...sources);
}
var rootCredentialsFrom = (...sources) => pair(sources, USER_VARIABLE, PASSWORD_VARIABLE, "root");
var verifyUserCredentialsFrom = (...sources) => pair(sources, VERIFY_USER_VARIABLE, VERIFY_PASSWORD_VARIABLE, "verify");
var MISSING_ROOT_CREDENTIALS = `${USER_VARIABLE} and ${PASSWORD_VARIABLE} (MinIO's root user: a recovery point lists every version of Milvus's bucket, a restore copies objects back) are not set: export them (the swarm secrets' values) or pass --credentials FILE`;
var MISSING_CREDENTIALS = `${VERIFY_USER_VARIABLE} and ${VERIFY_PASSWORD_VARIABLE} (verify's own MinIO user) are not set: export them (the swarm secrets' values) or pass --credentials FILE`;
function credentialsHint(secrets, user) {
  return user === "verify" ? `${VERIFY_USER_VARIABLE}/PASSWORD must be the values of the swarm secrets ${secrets.verifyUser}/${secrets.verifyPassword}, and deploy must have created that user (its verify-user step)` : `${USER_VARIABLE}/PASSWORD must be the values of the swarm secrets ${secrets.rootUser}/${secrets.rootPassword}`;
}
function redact(text, secrets) {
  let result = text;
  const forms = secrets.filter((secret) => secret !== void 0 && secret.length >= 3).flatMap((secret) => [secret, encodeURIComponent(secret)]).sort((a, b) => b.length - a.length);
  for (const form of forms) result = result.split(form).join("***");
  return result;
}

// generator/docker/cli.ts
import { spawn } from "node:child_process";

// generator/docker/childPriority.ts
import { writeFileSync } from "node:fs";
import { getPriority } from "node:os";
function keepCallerPriority(childPid) {
  const nice = getPriority();
  if (childPid === void 0 || nice <= 0) return;
  try {
    writeFileSync(`/proc/${childPid}/autogroup`, String(nice));
  } catch {
  }
}

// generator/docker/cli.ts
var DEFAULT_DOCKER_TIMEOUT_MS = 6e4;
function docker(args, options = {}) {
  const env = options.env ?? process.env;
  return runCommand(options.binary ?? env.DOCKER_CLI ?? "docker", args, { ...options, timeoutMs: options.timeoutMs ?? DEFAULT_DOCKER_TIMEOUT_MS, env });
}
function runCommand(binary, args, options) {
  const { timeoutMs } = options;
  const env = options.env ?? process.env;
  const started = performance.now();
  return new Promise((resolve) => {
    const stdout = [];
    const stderr = [];
    let timedOut = false;
    let settled = false;
    const child = spawn(binary, args, { cwd: options.cwd, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    keepCallerPriority(child.pid);
    const finish = (code, extraStderr = "") => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8") + extraStderr,
        timedOut,
        elapsedMs: Math.round(performance.now() - started)
      });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== void 0) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    child.stdout.on("data", (chunk) => stdout.push(chunk));
    child.stderr.on("data", (chunk) => stderr.push(chunk));
    child.on("error", (error) => finish(-1, `${error.message}
`));
    child.on("close", (code) => finish(timedOut ? -1 : code ?? -1, timedOut ? `${binary} ${args[0] ?? ""}: killed after ${timeoutMs} ms
` : ""));
    child.stdin.on("error", () => void 0);
    child.stdin.end(options.input ?? "");
  });
}
function parseJsonLines(text) {
  return text.split("\n").map((line) => line.trim()).filter((line) => line !== "").map((line) => JSON.parse(line));
}
function dockerFailure(result) {
  if (result.timedOut) return `no answer within ${Math.round(result.elapsedMs / 1e3)} s`;
  const lines2 = (result.stderr.trim() === "" ? result.stdout : result.stderr).split("\n").map((line) => line.trim()).filter((line) => line !== "" && !/^(Run|See) '.*--help'/.test(line) && !/^Usage:/.test(line));
  const said = lines2.find((line) => /error response from daemon|^error|^docker: /i.test(line)) ?? lines2[0];
  return said ? said.replace(/^docker: /, "").replace(/\.$/, "") : `exit ${result.code}`;
}

// generator/docker/runner.ts
var processDocker = docker;

// generator/commands/envFile.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
async function readEnvFile(cwd, file) {
  if (file === void 0) return {};
  const text = await readFile(path.resolve(cwd, file), "utf8").catch((error) => {
    throw new UsageError(`--credentials ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  });
  const parsed = parseEnvFile(text);
  if (parsed.problems.length > 0) throw new UsageError(`--credentials ${file}: ${parsed.problems.join("; ")}`);
  return parsed.values;
}
function dockerFor(values, runner) {
  const host = values.DOCKER_HOST;
  if (!host) return runner;
  return (args, options = {}) => runner(args, { ...options, env: { ...options.env ?? process.env, DOCKER_HOST: host } });
}

// generator/docker/calls.ts
var DEFAULT_CALL_TIMEOUT_MS = 2e4;
async function dockerValue(runner, args, parse, options = {}) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const result = await runner(args, { ...options, timeoutMs });
  if (result.code !== 0) return failed(args, result.timedOut ? `no answer within ${Math.round(timeoutMs / 1e3)} s` : dockerFailure(result));
  try {
    return { ok: true, value: parse(result.stdout) };
  } catch (error) {
    return failed(args, `unreadable output (${error instanceof Error ? error.message : String(error)})`);
  }
}
var dockerDo = (runner, args, options) => dockerValue(runner, args, () => void 0, options);
var dockerLines = (runner, args, options) => dockerValue(runner, args, lines, options);
var dockerJson = (runner, args, options) => dockerValue(runner, args, (stdout) => JSON.parse(stdout), options);
var lines = (text) => text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
function failed(args, reason) {
  return { ok: false, reason, error: `docker ${args.slice(0, 2).join(" ")}: ${reason}` };
}

export {
  loadEnvironment,
  runCommand,
  parseJsonLines,
  dockerFailure,
  dockerValue,
  dockerDo,
  dockerLines,
  dockerJson,
  USER_VARIABLE,
  PASSWORD_VARIABLE,
  VERIFY_USER_VARIABLE,
  VERIFY_PASSWORD_VARIABLE,
  credentialsFrom,
  rootCredentialsFrom,
  verifyUserCredentialsFrom,
  MISSING_ROOT_CREDENTIALS,
  MISSING_CREDENTIALS,
  credentialsHint,
  redact,
  processDocker,
  readEnvFile,
  dockerFor
};
