// `npx milvus-swarm <command>`: argument parsing and dispatch only; each command lives in ./commands.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { backupCommand, backupListCommand, restoreCommand } from './commands/backup.ts';
import { checkCommand } from './commands/check.ts';
import { deployCommand } from './commands/deploy.ts';
import { EXIT, processIO, type CommandIO } from './commands/io.ts';
import { planCommand } from './commands/plan.ts';
import { renderCommand } from './commands/render.ts';
import { schemaCommand } from './commands/schema.ts';
import { verifyCommand } from './commands/verify.ts';
import { RESOLVE_IMAGE } from './topology/schema.ts';
import { UsageError } from './usageError.ts';

const USAGE = `usage: milvus-swarm <command> [options]

commands:
  render [--env NAME]...                 render environments/*.yaml (or the named ones) into rendered/
  render --topology FILE --out DIR       render one topology file into DIR
  check                                  compare rendered/ with what the generator renders (exit 1 on drift)
  plan --base REF | --from FILE --to FILE  classify topology changes as markdown (exit 3 on unacknowledged destructive)
  schema                                 print the topology JSON Schema
  deploy --env NAME [--env-file FILE] [--resolve-image ${RESOLVE_IMAGE.join('|')}] [--all-members-at-once] [--no-recovery-point]
                                         preflight, prepare hosts, deploy the stack, wait for convergence, report
                                         (--resolve-image overrides the topology's swarm.resolveImage;
                                         --all-members-at-once skips rolling etcd members one at a time, for a
                                         broken cluster whose fix every member needs; --env-file: DOCKER_HOST;
                                         with a backup: section a recovery point is made before care and
                                         destructive changes, and its failure stops the deploy unless
                                         --no-recovery-point)
  verify --env NAME [--env-file FILE] [--etcd-endpoint|--s3-endpoint|--console-endpoint HOST:PORT] [--json]
                                         check etcd and MinIO of a running environment (exit 1 on any fail)
  backup --env NAME [--env-file FILE] [--etcd-endpoint HOST:PORT] [--s3-endpoint HOST:PORT] [--reason TEXT]
                                         make a recovery point (etcd snapshot + bucket cut) in the topology's
                                         backup targets and prune to backup.keep; the point's id is the last line
                                         (--etcd-endpoint: a member or the gRPC proxy to snapshot with the local
                                         etcdctl/etcdutl, or MILVUS_SWARM_ETCDCTL/MILVUS_SWARM_ETCDUTL)
  backup list [--env NAME] [--env-file FILE]  the recovery points in the targets (of every environment with a
                                         backup: section), with their figures
  restore --env NAME --point ID|latest [--yes] [--env-file FILE] [--etcd-endpoint HOST:PORT] [--s3-endpoint HOST:PORT]
          [--etcd-data-dir DIR --etcd-member NAME=PEER_URL] [--without-undo-point] [--allow-unsigned]
                                         bring etcd and Milvus's bucket back to a point (Milvus stopped); without
                                         --yes it says what it would restore and exits 3; a point of the state
                                         before is made first (restore it to undo); --etcd-data-dir restores etcd
                                         into a directory for a member you start yourself; only points signed with
                                         MILVUS_SWARM_POINT_KEY, an unsigned one by its id with --allow-unsigned

exit codes: 0 ok, 1 invalid input, drift or a failed deploy/verify/backup/restore, 2 usage, 3 destructive plan or
restore not confirmed`;

interface Command {
  options: ParseArgsConfig['options'];
  /** Subcommands this command takes as its first word (`backup list`); none by default. */
  subcommands?: readonly string[];
  run(values: Record<string, string | boolean | string[] | boolean[] | undefined>, io: CommandIO, subcommand?: string): Promise<number>;
}

const POINT_OPTIONS = { env: { type: 'string' }, 'env-file': { type: 'string' }, 'etcd-endpoint': { type: 'string' }, 's3-endpoint': { type: 'string' } } as const;
const pointOptions = (values: Record<string, string | boolean | string[] | boolean[] | undefined>) => ({
  environment: values.env as string | undefined,
  envFile: values['env-file'] as string | undefined,
  etcd: values['etcd-endpoint'] as string | undefined,
  s3: values['s3-endpoint'] as string | undefined,
});

const commands: Record<string, Command> = {
  render: {
    options: { env: { type: 'string', multiple: true }, topology: { type: 'string' }, out: { type: 'string' } },
    run: (values, io) =>
      renderCommand(
        { environments: (values.env as string[] | undefined) ?? [], topology: values.topology as string | undefined, out: values.out as string | undefined },
        io,
      ),
  },
  check: { options: {}, run: (_, io) => checkCommand(io) },
  plan: {
    options: { base: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    run: (values, io) => planCommand({ base: values.base as string | undefined, from: values.from as string | undefined, to: values.to as string | undefined }, io),
  },
  schema: { options: {}, run: (_, io) => schemaCommand(io) },
  deploy: {
    options: { env: { type: 'string' }, 'env-file': { type: 'string' }, 'resolve-image': { type: 'string' }, 'all-members-at-once': { type: 'boolean' }, 'no-recovery-point': { type: 'boolean' } },
    run: (values, io) =>
      deployCommand(
        {
          environment: values.env as string | undefined,
          envFile: values['env-file'] as string | undefined,
          resolveImage: values['resolve-image'] as string | undefined,
          allMembersAtOnce: values['all-members-at-once'] === true,
          noRecoveryPoint: values['no-recovery-point'] === true,
        },
        io,
      ),
  },
  verify: {
    options: {
      env: { type: 'string' },
      'env-file': { type: 'string' },
      'etcd-endpoint': { type: 'string' },
      's3-endpoint': { type: 'string' },
      'console-endpoint': { type: 'string' },
      json: { type: 'boolean' },
    },
    run: (values, io) =>
      verifyCommand(
        {
          environment: values.env as string | undefined,
          envFile: values['env-file'] as string | undefined,
          etcd: values['etcd-endpoint'] as string | undefined,
          s3: values['s3-endpoint'] as string | undefined,
          console: values['console-endpoint'] as string | undefined,
          json: values.json === true,
        },
        io,
      ),
  },
  backup: {
    options: { ...POINT_OPTIONS, reason: { type: 'string' } },
    subcommands: ['list'],
    run: (values, io, subcommand) =>
      subcommand === 'list' ? backupListCommand(pointOptions(values), io) : backupCommand({ ...pointOptions(values), reason: values.reason as string | undefined }, io),
  },
  restore: {
    options: {
      ...POINT_OPTIONS,
      point: { type: 'string' },
      yes: { type: 'boolean' },
      'etcd-data-dir': { type: 'string' },
      'etcd-member': { type: 'string' },
      'without-undo-point': { type: 'boolean' },
      'allow-unsigned': { type: 'boolean' },
    },
    run: (values, io) =>
      restoreCommand(
        {
          ...pointOptions(values),
          point: values.point as string | undefined,
          yes: values.yes === true,
          etcdDataDir: values['etcd-data-dir'] as string | undefined,
          etcdMember: values['etcd-member'] as string | undefined,
          withoutUndoPoint: values['without-undo-point'] === true,
          allowUnsigned: values['allow-unsigned'] === true,
        },
        io,
      ),
  },
};

export async function main(argv: readonly string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    io.err(`milvus-swarm: unknown command "${name}"\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs({ args: [...rest], options: command.options, allowPositionals: command.subcommands !== undefined, strict: true });
    const [subcommand, ...extra] = positionals;
    if (subcommand !== undefined && !command.subcommands?.includes(subcommand)) throw new UsageError(`${name}: unknown subcommand "${subcommand}" (expected ${command.subcommands?.join(' or ') ?? 'none'})`);
    if (extra.length > 0) throw new UsageError(`${name} ${subcommand}: unexpected argument "${extra[0]}"`);
    return await command.run(values, io, subcommand);
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CommandIO): number {
  // One line, whatever the message: node's parseArgs explains an ambiguous option over three.
  const message = (error instanceof Error ? error.message : String(error)).split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  io.err(`milvus-swarm: ${message}`);
  if (usage) return EXIT.usage;
  // An unexpected failure is still one line; MILVUS_SWARM_DEBUG=1 shows where it came from.
  if (io.env.MILVUS_SWARM_DEBUG && error instanceof Error) io.err(error.stack ?? '');
  return EXIT.failed;
}
