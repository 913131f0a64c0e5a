// A data dir made empty on its host before a member starts on it (a dir with another membership's WAL would start
// as that old member). What is there is moved aside, never deleted. Run as a host job pinned where the member runs.
import path from 'node:path';
import { hostJobArgs } from '../../docker/jobs.ts';
import { swarmConstraints } from '../../render/swarmPlacement.ts';
import { prepareJobName } from '../../topology/swarmNames.ts';
import { MOUNT_TARGET, PREPARE_LABEL, runPrepareJobs } from '../operations/hostDirectories.ts';
import type { DeployContext } from '../runner/contract.ts';

/**
 * A joining member must start on an empty data dir (a dir with another membership's WAL would start as that old
 * member). What is there is moved aside, never deleted: `.<dir>.<why>-<stamp>` beside it, for the operator to remove.
 * A host job pinned as the member's service is (host preparation's helper image and mechanism).
 */
export async function emptyDataDir(context: DeployContext, member: string, dataDir: string, why: string, host?: string): Promise<{ problems: string[]; notes: string[] }> {
  const { model } = context;
  // The member's own service; for a leaving member's dir, the service of the member that will start on it.
  const owner = model.etcd.members.find((candidate) => candidate.name === member) ?? model.etcd.members.find((candidate) => candidate.dataDir === dataDir && candidate.host === host);
  const service = model.services.find((candidate) => candidate.name === owner?.name);
  const constraints = service ? swarmConstraints(service.placement) : [];
  if (constraints.length === 0) return { problems: [`cannot tell which node holds ${member}'s data dir (no placement in the topology)`], notes: [] };
  const parent = path.posix.dirname(dataDir);
  const base = path.posix.basename(dataDir);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const aside = `.${base}.${why}-${stamp}`;
  const runId = Date.now().toString(36).slice(-8);
  const name = prepareJobName(model.stack, runId, 1);
  // A fixed script; the paths reach it as arguments. Prints what it did, the job's only output.
  const script = 'set -e; if [ -d "$1" ] && [ -n "$(ls -A "$1")" ]; then mv "$1" "$2"; fi; mkdir -p -m 0700 "$1"';
  const job = {
    name,
    host: host ?? member,
    constraints,
    image: model.swarm.helperImage,
    mode: '0700',
    parent,
    directories: [dataDir],
    args: [
      ...hostJobArgs({ name, label: `${PREPARE_LABEL}=${model.stack}`, constraints, registryAuth: true, resolveImage: model.swarm.resolveImage }),
      '--mount',
      `type=bind,source=${parent},target=${MOUNT_TARGET}`,
      '--entrypoint',
      'sh',
      model.swarm.helperImage,
      '-c',
      script,
      'sh',
      `${MOUNT_TARGET}/${base}`,
      `${MOUNT_TARGET}/${aside}`,
    ],
  };
  const result = await runPrepareJobs(context.runner, [job], context.options.prepareTimeoutMs ?? 120_000);
  return { problems: result.problems, notes: result.problems.length === 0 ? [`${member}'s data dir ${dataDir} is empty (what it held, if anything, is kept as ${path.posix.join(parent, aside)})`] : [] };
}
