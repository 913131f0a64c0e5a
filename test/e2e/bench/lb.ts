// npm run bench:lb [-- --env local|staging --profile large|milvus --rounds N --objects N --in-flight N[,N…] --size-mib N --candidate FILE…]
//
// The MinIO load balancer over three paths, from one client position (a container on the stack's attachable
// network, like Milvus): straight to one MinIO node, through the rendered nginx.conf (the stack's minio-proxy), and
// through MinIO's published nginx config deployed beside it. Two profiles:
// - large (default): PUT and GET throughput of 16 × 64 MiB objects (lbLarge.ts);
// - milvus: Milvus-shaped object traffic, 16 KiB–8 MiB, PUT / GET / ranged GET / LIST / DELETE at 32 and 64 in
//   flight, ops/s, MiB/s and p50/p99 per operation (lbMilvus.ts, milvusProfile.ts).
// Rounds interleave the paths so a slow moment of the machine hits all of them. Prints figures; the targets are
// reported (met / MISSED), not enforced (exit 0 unless the benchmark itself fails; bad flags: one line, exit 1).
import { cpus } from 'node:os';
import { formatMs } from '../harness/lifecycle.ts';
import { parseLbArgs, UsageError } from './args.ts';
import { benchTarget } from './benchTarget.ts';
import { runLarge } from './lbLarge.ts';
import { runMilvus } from './lbMilvus.ts';
import { benchPaths, buildClient, cleanup, deployBenchStack, goVersion, out, readCandidates } from './lbStack.ts';

async function main(): Promise<void> {
  const args = parseLbArgs(process.argv.slice(2));
  const environment = args.env;
  const candidates = await readCandidates(args.candidates);
  const target = await benchTarget(environment, 'minio');
  const model = target.model;
  out(`bench:lb  ${environment}: stack ${model.stack} up (${formatMs(target.upMs)})`);
  const client = await buildClient();
  const paths = benchPaths(model, candidates);
  try {
    await deployBenchStack(model, candidates);
    out(`bench:lb  client: lbclient (Go ${await goVersion()}, net/http, SigV4 UNSIGNED-PAYLOAD) in a container of ${target.client.image} on ${model.network.name}, on ${target.client.host}`);
    out(`bench:lb  machine: ${cpus().length} × ${cpus()[0]?.model.trim()} (client, nginx and MinIO share it)`);
    if (args.profile === 'milvus') await runMilvus(client, target, paths, args);
    else await runLarge(client, target, paths, args);
  } finally {
    await cleanup(target);
  }
}

const started = performance.now();
try {
  await main();
  out(`bench:lb  done in ${formatMs(Math.round(performance.now() - started))}`);
} catch (error) {
  process.stderr.write(`bench:lb  ${error instanceof UsageError ? '' : 'failed: '}${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
