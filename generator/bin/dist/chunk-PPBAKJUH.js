import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
const __filename = __fileURLToPath(import.meta.url);
const __dirname = __pathDirname(__filename);
import {
  dockerValue,
  parseJsonLines
} from "./chunk-LB2O7ATV.js";

// generator/docker/swarm.ts
function parseSwarmInfo(stdout) {
  const swarm = JSON.parse(stdout.trim() || "{}");
  return {
    nodeId: String(swarm.NodeID ?? ""),
    localNodeState: String(swarm.LocalNodeState ?? "inactive"),
    controlAvailable: swarm.ControlAvailable === true,
    error: String(swarm.Error ?? "")
  };
}
function parseNodeList(stdout) {
  return parseJsonLines(stdout).map((node) => ({
    id: String(node.ID ?? ""),
    hostname: String(node.Hostname ?? ""),
    status: String(node.Status ?? ""),
    availability: String(node.Availability ?? ""),
    managerStatus: String(node.ManagerStatus ?? ""),
    self: node.Self === true || node.Self === "true",
    labels: {}
  }));
}
function parseNodeLabels(stdout) {
  const nodes = JSON.parse(stdout.trim() || "[]");
  return new Map(nodes.map((node) => [String(node.ID ?? ""), { ...node.Spec?.Labels ?? {} }]));
}
function parseNames(stdout) {
  return parseJsonLines(stdout).map((entry) => entry.Name ?? "").filter((name) => name !== "").sort();
}
var swarmInfo = (runner) => dockerValue(runner, ["info", "--format", "{{json .Swarm}}"], parseSwarmInfo);
async function nodeList(runner, timeoutMs = 2e4) {
  const listed = await dockerValue(runner, ["node", "ls", "--format", "{{json .}}"], parseNodeList, { timeoutMs });
  if (!listed.ok || listed.value.length === 0) return listed;
  const labels = await dockerValue(runner, ["node", "inspect", ...listed.value.map((node) => node.id)], parseNodeLabels, { timeoutMs });
  if (!labels.ok) return labels;
  return { ok: true, value: listed.value.map((node) => ({ ...node, labels: labels.value.get(node.id) ?? {} })) };
}
var secretNames = (runner) => dockerValue(runner, ["secret", "ls", "--format", "{{json .}}"], parseNames);
function nodeOfHost(host, nodes) {
  if (host.nodeId) return nodes.find((node) => node.id === host.nodeId);
  const named = nodes.filter((node) => node.hostname === host.name);
  return named.length === 1 ? named[0] : void 0;
}

export {
  parseNodeList,
  swarmInfo,
  nodeList,
  secretNames,
  nodeOfHost
};
