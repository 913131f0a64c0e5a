// A healthcheck runs inside its service's image, so an image change is also a probe change: what program the
// probe needs from the new image, and how to check it ships there (topology/imageTools.ts knows some image lines;
// the rule healthchecks-fit refuses what is known to be missing, so here the answer is "unknown, check").
import type { HealthcheckSetting } from '../topology/schema.ts';
import { probeProgram } from '../topology/imageTools.ts';
import { code } from './runbook.ts';

export interface ProbeNeed {
  program: string;
  /** A command whose "executable file not found" answers the question (no shell needed in the image). */
  check: string;
}

export function probeNeed(setting: HealthcheckSetting, image: string): ProbeNeed | undefined {
  const program = setting.probe === 'etcdctl' ? 'etcdctl' : setting.probe === 'none' ? undefined : probeProgram(setting.command);
  if (program === undefined) return undefined;
  return { program, check: `${code(`docker run --rm --entrypoint ${program} ${image} --help`)} must not say "executable file not found"` };
}
