// Preflight's look at what runs (generator/diff) against what this deploy renders, before anything changes, logged as
// deploy's first lines:
//   - a takeover (services milvus-swarm did not deploy, the runbook's cluster): refused when a stateful service would
//     start on other data or MinIO on other credentials (diff/takeover.ts); otherwise a care change of the plan, with
//     the order things restart in — made after a recovery point where the topology has a backup: section, and only
//     when acknowledged where it has none;
//   - hand edits: services that differ from what the last successful deploy rendered, which this deploy reverts.
import { readFile } from 'node:fs/promises';
import { buildDiff, type DiffReport } from '../../diff/diff.ts';
import { readLiveStack, type LiveStack } from '../../diff/liveStack.ts';
import { secretDigests } from '../../diff/secretDigests.ts';
import { shapeFromInspect, shapesFromCompose, type ServiceShape } from '../../diff/serviceShape.ts';
import { takeoverProblems } from '../../diff/takeover.ts';
import { renderSource } from '../../workspace/pipeline.ts';
import { readFromDirectory, readTemplates } from '../../workspace/repository.ts';
import type { DeployedTopology } from '../operations/deployedTopology.ts';
import { describeHandEdit, handEdits, takeoverChange } from '../operations/liveChanges.ts';
import type { DeployContext } from '../runner/contract.ts';

export type LiveLook = { ok: true; problems: string[]; notes: string[] } | { ok: false; problems: string[]; notes: string[] };

export async function liveAgainstRendered(context: DeployContext, record: DeployedTopology | undefined): Promise<LiveLook> {
  const { model, runner, log, environment } = context;
  let live: Awaited<ReturnType<typeof readLiveStack>>;
  try {
    live = await readLiveStack(runner, model.stack);
  } catch (error) {
    return { ok: false, problems: [`cannot read what runs (${error instanceof Error ? error.message : String(error)})`], notes: [] };
  }
  const rendered = shapesFromCompose(await readFile(context.composeFile, 'utf8'), model.stack);
  const report = buildDiff(model, rendered, live);
  context.live = report;
  const notes: string[] = [];
  const say = (line: string) => {
    log(line);
    notes.push(line);
  };
  if (!report.takeover) {
    const differing = report.services.filter((service) => service.state !== 'in-sync');
    const described = differing.map((service) =>
      service.state === 'missing' ? `${service.service} missing` : `${service.service} differs (${service.differences.map((difference) => `${difference.field}: ${difference.live} → ${difference.rendered}`).join('; ')})`,
    );
    const summary =
      differing.length === 0
        ? 'the services run what is rendered'
        : differing.every((service) => service.state === 'missing')
          ? `${differing.length === report.services.length ? 'none of the services runs yet' : `${differing.map((service) => service.service).join(', ')} do not run yet`}: this deploy creates ${differing.length === 1 ? 'it' : 'them'}`
          : described.join(', ');
    say(`live against rendered: ${summary}${report.foreign.length > 0 ? `; left alone: ${report.foreign.join(', ')}` : ''}`);
    for (const edit of record ? await editsSinceLastDeploy(context, record, live) : []) say(`hand edit, reverted by this deploy: ${edit}`);
    return { ok: true, problems: [], notes };
  }

  return takeoverLook(context, report, live, rendered, say, notes);
}

/**
 * A takeover: refused when a stateful service would start on other data or MinIO on other credentials; otherwise a
 * care change of the plan with the order things restart in, made after a recovery point or when acknowledged.
 */
async function takeoverLook(
  context: DeployContext,
  report: DiffReport,
  live: LiveStack,
  rendered: ReadonlyMap<string, ServiceShape>,
  say: (line: string) => void,
  notes: string[],
): Promise<LiveLook> {
  const { model, runner, environment } = context;
  const taken = report.services.filter((service) => service.state === 'takeover');
  say(`live against rendered: a takeover — ${taken.map((service) => service.service).join(', ')} run${taken.length === 1 ? 's' : ''} without milvus-swarm's labels (not deployed by it)`);
  const liveShapes = new Map(live.services.map((inspect) => shapeFromInspect(inspect, model.stack, live.networks)).filter((shape) => taken.some((service) => service.service === shape.name)).map((shape) => [shape.name, shape]));
  // Secrets the live MinIO nodes read their credentials from, and the ones the topology names: their digests only.
  const { rootUser, rootPassword } = model.minio.secrets;
  const liveSecrets = [...liveShapes.values()].flatMap((shape) => shape.secrets.map((secret) => secret.name));
  const wanted = [rootUser, rootPassword, ...liveSecrets].filter((name) => live.secrets.includes(name));
  const digests = await secretDigests(runner, model, wanted);
  const problems = takeoverProblems({
    model,
    live: liveShapes,
    rendered,
    runsOn: new Map(model.services.map((service) => [service.name, live.taskNodes.get(`${model.stack}_${service.name}`) ?? []])),
    nodes: live.nodes,
    secretDigests: digests.digests,
  });
  if (digests.problem) problems.push(`cannot compare the root credentials MinIO runs with to the swarm secrets, so the takeover is not safe to start: ${digests.problem}`);
  if (problems.length > 0) return { ok: false, problems: problems.map((problem) => `takeover refused, nothing changed: ${problem}`), notes };

  const change = takeoverChange(report, context.topology.acknowledge);
  context.planned = [...context.planned, change];
  say(`takeover plan (${change.id}), in this order:`);
  for (const [index, line] of (change.procedure ?? []).entries()) say(`  ${index + 1}. ${line}`);
  if (context.topology.backup) {
    say('a recovery point of etcd and the bucket is made before anything changes (the backup: section)');
    return { ok: true, problems: [], notes };
  }
  if (change.acknowledged) {
    say(`${change.id} is acknowledged: taking over without a recovery point (environments/${environment}.yaml has no backup: section)`);
    return { ok: true, problems: [], notes };
  }
  return {
    ok: true,
    notes,
    problems: [
      `plan: ${change.id} restarts every service on a new spec and no recovery point can be made first (environments/${environment}.yaml has no backup: section): save one by hand — \`etcdctl snapshot save\` from a member, and a copy of ${model.milvus.bucketName} — or add a backup: section, then add "${change.id}" under acknowledge: and deploy again`,
    ],
  };
}

/**
 * What differs from the last successful deploy's own rendering: its recorded topology rendered again now, under the
 * file name it was deployed from (the rendered headers, and so the nginx config's content hash, name the file).
 */
async function editsSinceLastDeploy(context: DeployContext, record: DeployedTopology, live: Awaited<ReturnType<typeof readLiveStack>>): Promise<string[]> {
  const rendered = renderSource({ environment: context.environment, file: context.source.file, text: record.text }, await readTemplates(readFromDirectory(context.options.root)));
  if (!rendered.ok) return [];
  const lastRendered = shapesFromCompose(rendered.files.get('stack.yaml') ?? '', context.model.stack);
  return handEdits(
    live.services.filter((inspect) => context.model.services.some((service) => inspect.Spec.Name === `${context.model.stack}_${service.name}`)),
    context.model.stack,
    live.networks,
    lastRendered,
  ).map(describeHandEdit);
}
