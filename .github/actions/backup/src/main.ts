// The backup action: the CLI's `backup --env NAME` (generator/commands/backup.ts) with the runner's docker, its lines
// in the job log and the point's figures in the job summary. Credentials come from the job's env (MinIO's root pair:
// a point lists every version of Milvus's bucket; the S3 target's pair under the names the topology gives).
import * as core from '@actions/core';
import { POINT_KEY_VARIABLE } from '../../../../generator/backup/pointKey.ts';
import { dockerSwarm } from '../../../../generator/backup/sites.ts';
import { backupCommand } from '../../../../generator/commands/backup.ts';
import { loadEnvironment } from '../../../../generator/workspace/environment.ts';
import { PASSWORD_VARIABLE, USER_VARIABLE } from '../../../../generator/cluster/credentials.ts';
import { messageOf } from '../../shared/src/annotations.ts';
import { execDocker } from '../../shared/src/execRunner.ts';
import { environmentInput } from '../../shared/src/inputs.ts';

export async function run(): Promise<void> {
  try {
    const environment = environmentInput();
    if (environment === undefined) return;
    const root = core.getInput('working-directory') || '.';
    const loaded = await loadEnvironment(root, environment);
    const s3 = loaded.ok ? loaded.topology.backup?.targets.s3 : undefined;
    // Secret keys first, then the names that go with them.
    for (const name of [PASSWORD_VARIABLE, POINT_KEY_VARIABLE, ...(s3 ? [s3.secretKeyVariable, s3.accessKeyVariable] : []), USER_VARIABLE]) {
      const value = process.env[name];
      if (value) core.setSecret(value);
    }
    const out: string[] = [];
    const err: string[] = [];
    // A refusal (no backup: section, no member answering) is a line of the summary too, as the CLI prints it.
    const code = await backupCommand(
      { environment, reason: core.getInput('reason') || 'scheduled' },
      { cwd: root, env: process.env, out: (line) => out.push(...line.split('\n')), err: (line) => err.push(...line.split('\n')) },
      dockerSwarm(execDocker),
    ).catch((error: unknown) => {
      err.push(messageOf(error));
      return 1;
    });
    for (const line of out) core.info(line);
    for (const line of err) core.error(line);
    const point = code === 0 ? (out.at(-1) ?? '') : '';
    core.setOutput('point', point);
    const summary = core.summary.addHeading(code === 0 ? `backup ${environment}: recovery point ${point}` : `backup ${environment}: failed`, 2);
    if (out.length > 0) summary.addCodeBlock(out.join('\n'));
    if (err.length > 0) summary.addHeading('problems', 3).addList(err);
    await summary.write();
    if (code !== 0) core.setFailed(err.join('\n') || `backup ${environment} failed`);
  } catch (error) {
    core.setFailed(messageOf(error));
  }
}
