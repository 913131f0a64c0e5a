// Before a care or destructive change touches anything (the plan gate in preflight has classed it), with a backup:
// section: a recovery point of etcd and Milvus's bucket, so the change can be undone with `restore`. A point that
// cannot be made stops the deploy before anything changed, unless the operator said --no-recovery-point.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pointKeyFrom } from '../../backup/pointKey.ts';
import { makeRecoveryPoint } from '../../backup/recoveryPoint.ts';
import { bucketFigures, etcdFigures } from '../../backup/report.ts';
import { ensureRecoveryWindow, readRecoveryWindow } from '../../backup/s3.ts';
import { dockerSwarm, minioClient, storesOf } from '../../backup/sites.ts';
import type { Change } from '../../plan/change.ts';
import { PASSWORD_VARIABLE, redact, USER_VARIABLE } from '../../cluster/credentials.ts';
import { endpointsFromModel } from '../../cluster/endpoints.ts';
import { locateProxies } from '../../cluster/proxyLocations.ts';
import { passed, stopped, type DeployContext, type Phase } from '../runner/contract.ts';

const LOCATE_MS = 5_000;

/** The changes a point is made for: everything that is not safe. */
export const pointWorthy = (planned: readonly Change[]): Change[] => planned.filter((change) => change.class !== 'safe');

export const recoveryPointFirst: Phase = {
  name: 'recovery point',
  stage: 'preflight',
  async run(context) {
    const backup = context.topology.backup;
    const changes = pointWorthy(context.planned);
    if (!backup || changes.length === 0) return passed();
    const ids = changes.map((change) => `${change.id} (${change.class})`).join(', ');
    if (context.options.noRecoveryPoint) return passed({ notes: [`no recovery point before ${ids}: --no-recovery-point`] });
    const refuse = (why: string) =>
      stopped([`no recovery point before ${ids}: ${why}; nothing was changed: fix it and deploy again, or deploy with --no-recovery-point (the action's no-recovery-point input) to go on without one`]);
    const root = context.options.minio?.root;
    if (!root) return refuse(`${USER_VARIABLE}/${PASSWORD_VARIABLE} are not set (a point lists every version of the bucket)`);
    let workDir: string | undefined;
    try {
      workDir = await mkdtemp(path.join(tmpdir(), 'milvus-swarm-points-'));
      const made = await makePoint(context, root, backup, workDir, ids);
      if (!made.ok) return refuse(redact(made.problem, [root.secretKey]));
      return passed({ notes: [made.line], recoveryPoint: made.line });
    } catch (error) {
      return refuse(redact(error instanceof Error ? error.message : String(error), [root.secretKey]));
    } finally {
      if (workDir) await rm(workDir, { recursive: true, force: true });
    }
  },
};

async function makePoint(
  context: DeployContext,
  root: NonNullable<NonNullable<DeployContext['options']['minio']>['root']>,
  backup: NonNullable<DeployContext['topology']['backup']>,
  workDir: string,
  ids: string,
): Promise<{ ok: true; line: string } | { ok: false; problem: string }> {
  const { model } = context;
  const stores = storesOf(backup.targets, ...(context.options.backupValues ?? [process.env]));
  const located = await locateProxies(context.runner, model, endpointsFromModel(model), [], LOCATE_MS);
  const minio = minioClient(located.endpoints.s3, root);
  // The backup: section came with this deploy: its window is what the topology says, and a point needs it first.
  if ((await readRecoveryWindow(minio, model.milvus.bucketName)).versioning !== 'Enabled') await ensureRecoveryWindow(minio, model.milvus.bucketName, backup.windowDays);
  const sites = context.options.swarmSites ?? dockerSwarm(context.runner);
  const report = await makeRecoveryPoint({
    environment: context.environment,
    stack: model.stack,
    bucket: model.milvus.bucketName,
    windowDays: backup.windowDays,
    keep: backup.keep,
    reason: `before deploy${context.options.commit ? ` of ${context.options.commit.slice(0, 12)}` : ''}: ${ids}`,
    etcd: await sites.etcdAccess(model, workDir),
    minio,
    stores,
    pointKey: pointKeyFrom(...(context.options.backupValues ?? [process.env])),
    workDir,
  });
  if (!report.ok || !report.manifest) {
    return { ok: false, problem: report.problem ?? report.stores.filter((store) => store.error).map((store) => `${store.where}: ${store.error}`).join('; ') };
  }
  const manifest = report.manifest;
  return { ok: true, line: `recovery point ${manifest.id} before ${ids}: etcd ${etcdFigures(manifest)}; bucket ${bucketFigures(manifest)}; in ${report.stores.map((store) => store.where).join(', ')} (etcd and the bucket back to this moment: npx milvus-swarm restore --env ${context.environment} --point ${manifest.id} --yes)` };
}
