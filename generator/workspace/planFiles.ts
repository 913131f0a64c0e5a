// Which environment `plan --from FILE --to FILE` compares. The files may be named anything (x.from.yaml, a CI
// artifact): the environment comes from --env, else from the --to file's name (environments/production.yaml), else
// from the folder the --to argument names (production/x.to.yaml) — whichever is an environment name first. The
// environment names the deploy commands the plan prints, and the model's labels; it must be one.
import path from 'node:path';
import { ENVIRONMENT_NAME_RULE, isEnvironmentName, quoted } from '../topology/names.ts';
import { UsageError } from '../usageError.ts';
import { assertEnvironmentName, ENVIRONMENTS_DIR } from './repository.ts';

/** The environment of a --from/--to pair, or a usage error that says how to name it. */
export function planFilesEnvironment(to: string, flag: string | undefined): string {
  if (flag !== undefined) {
    assertEnvironmentName(flag);
    return flag;
  }
  const stem = path.basename(to).replace(/\.ya?ml$/, '');
  if (isEnvironmentName(stem)) return stem;
  // Only a folder the argument names: the current directory is where the command runs, not what the file is.
  const folder = path.dirname(to) === '.' ? undefined : path.basename(path.resolve('/', path.dirname(to)));
  if (folder !== undefined && folder !== ENVIRONMENTS_DIR && isEnvironmentName(folder)) return folder;
  const shown = quoted(to) === JSON.stringify(to) && !/["\\]/.test(to) ? to : quoted(to);
  if (folder === undefined) {
    throw new UsageError(`--to ${shown}: the file name gives the environment name ${quoted(stem)}, but ${ENVIRONMENT_NAME_RULE}: name the environment with --env NAME (or rename the file)`);
  }
  throw new UsageError(
    `--to ${shown}: neither the file name (${quoted(stem)}) nor its folder (${quoted(folder)}${folder === ENVIRONMENTS_DIR ? ', the folder of every environment' : ''}) names an environment (${ENVIRONMENT_NAME_RULE}): name the environment with --env NAME`,
  );
}
