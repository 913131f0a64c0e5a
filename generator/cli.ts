// `npx milvus-swarm <command>`: the command line only — flags, help, version, suggestions, exit codes — parsed by
// commander (a zero-dependency parser that gives every command its own --help, `--version`, and did-you-mean for
// misspelt commands and flags, which node:util's parseArgs leaves to hand code). Each command lives in ./commands and
// is loaded only when it runs, so `--help` and `--version` never load docker, etcd or MinIO clients.
import { Command, CommanderError, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { EXIT, processIO, type CommandIO } from './commands/io.ts';
import { RESOLVE_IMAGE } from './topology/resolveImage.ts';
import { UsageError } from './usageError.ts';

export const VERSION = packageJson.version;

/** KEY=value lines: MinIO's credential pairs, the backup target's keys, DOCKER_HOST of the manager to reach. */
const CREDENTIALS = '--credentials <file>';
const CREDENTIALS_HELP = 'KEY=value file: MINIO_ROOT_*, MINIO_VERIFY_*, the backup target keys, DOCKER_HOST';
/**
 * Node 20 takes `--env-file` anywhere on a script's command line as its own flag (nodejs/node#54232): it exits 9 on a
 * missing file and loads an existing one into process.env before the CLI runs. bin/milvus-swarm rewrites the old
 * spelling before node starts; in-process callers (tests, the actions) may still use it.
 */
const legacyCredentials = () => new Option('--env-file <file>', 'the old name of --credentials').hideHelp();

type Values = Record<string, unknown>;
const text = (values: Values, key: string): string | undefined => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
const credentialsFile = (values: Values): string | undefined => text(values, 'credentials') ?? text(values, 'envFile');

/** Exit codes and an example, under every command's own --help. */
function helpFooter(exits: string, ...examples: string[]): string {
  return `\nExit codes: ${exits}\n\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((example) => `  $ ${example}`).join('\n')}`;
}

const ENV_HELP = 'environment: environments/NAME.yaml';

/** Wraps a command's action: its exit code becomes the CLI's. */
type Run = <T extends unknown[]>(action: (...args: T) => Promise<number>) => (...args: T) => Promise<void>;

function defineRender(program: Command, io: CommandIO, run: Run): void {
  program
    .command('render')
    .summary('render environments/*.yaml into rendered/')
    .description('Render every environment (or those named) into rendered/, atomically and byte-stable; or one topology file into a folder of its own.')
    .option('--env <name>', `${ENV_HELP} (repeatable)`, (value: string, previous: string[] = []) => [...previous, value])
    .option('--topology <file>', 'one topology file anywhere (with --out)')
    .option('--out <dir>', 'the folder --topology renders into')
    .addHelpText('after', helpFooter('0 rendered, 1 invalid topology (nothing written), 2 usage', 'npx milvus-swarm render', 'npx milvus-swarm render --env production'))
    .action(
      run(async (values: Values) => {
        const { renderCommand } = await import('./commands/render.ts');
        return renderCommand({ environments: (values.env as string[] | undefined) ?? [], topology: text(values, 'topology'), out: text(values, 'out') }, io);
      }),
    );
}

function defineCheck(program: Command, io: CommandIO, run: Run): void {
  program
    .command('check')
    .summary('compare rendered/ with what the generator renders now')
    .description('Render in memory and compare with rendered/: changed, missing and stray files. It writes nothing.')
    .addHelpText('after', helpFooter('0 same, 1 drift, 2 usage', 'npx milvus-swarm check'))
    .action(
      run(async () => {
        const { checkCommand } = await import('./commands/check.ts');
        return checkCommand(io);
      }),
    );
}

function definePlan(program: Command, io: CommandIO, run: Run): void {
  program
    .command('plan')
    .summary('classify topology changes: safe, care or destructive')
    .description('Classify every topology change between a git revision and the working tree (or two files) as safe, care (with its procedure) or destructive (refused unless acknowledged).')
    .option('--base <ref>', 'compare environments/ at this git revision with the working tree')
    .option('--from <file>', 'the topology before (with --to)')
    .option('--to <file>', 'the topology after (with --from)')
    .option('--env <name>', 'with --from/--to: the environment the files describe (default: the folder or file name)')
    .addOption(new Option('--format <format>', 'text for a terminal, markdown for a job summary, json for machines').choices(['auto', 'text', 'markdown', 'json']).default('auto'))
    .option('--json', 'the plan as JSON (same as --format json)')
    .option('--detailed-exitcode', 'exit 0 without changes, 4 with safe or care changes, 3 destructive (terraform\'s convention)')
    .addHelpText(
      'after',
      helpFooter(
        '0 no destructive change, 3 an unacknowledged destructive change, 1 invalid topology, 2 usage; with --detailed-exitcode 0 no changes, 4 changes, 3 destructive. --format auto is text on a terminal, markdown otherwise.',
        'npx milvus-swarm plan --base origin/main',
        'npx milvus-swarm plan --from before.yaml --to after.yaml --env production --json',
      ),
    )
    .action(
      run(async (values: Values) => {
        const { planCommand } = await import('./commands/plan.ts');
        return planCommand(
          {
            base: text(values, 'base'),
            from: text(values, 'from'),
            to: text(values, 'to'),
            environment: text(values, 'env'),
            format: values.json === true ? 'json' : (values.format as 'auto' | 'text' | 'markdown' | 'json'),
            detailedExitCode: values.detailedExitcode === true,
          },
          io,
        );
      }),
    );
}

function defineSchema(program: Command, io: CommandIO, run: Run): void {
  program
    .command('schema')
    .summary('print the topology JSON Schema')
    .description('Print the JSON Schema of environments/*.yaml (rendered/topology.schema.json holds the same).')
    .addHelpText('after', helpFooter('0 printed', 'npx milvus-swarm schema > topology.schema.json'))
    .action(
      run(async () => {
        const { schemaCommand } = await import('./commands/schema.ts');
        return schemaCommand(io);
      }),
    );
}

function defineDeploy(program: Command, io: CommandIO, run: Run): void {
  program
    .command('deploy')
    .summary('preflight, deploy the rendered stack, wait until it converged, report')
    .description(
      "Preflight (nothing changes before it passes), a recovery point before care and destructive changes (with a backup: section), node labels and host directories, the plan's executed steps, docker stack deploy, convergence, and the report.",
    )
    .option('--env <name>', ENV_HELP)
    .option(CREDENTIALS, CREDENTIALS_HELP)
    .addOption(legacyCredentials())
    .addOption(new Option('--resolve-image <when>', "override the topology's swarm.resolveImage").choices([...RESOLVE_IMAGE]))
    .option('--all-members-at-once', 'restart every etcd member together instead of one at a time (a broken cluster whose fix every member needs; quorum is lost meanwhile)')
    .option('--no-recovery-point', 'go on without the recovery point made before care and destructive changes')
    .option('--json', 'the report as JSON on stdout (progress stays on stderr)')
    .addHelpText('after', helpFooter('0 converged, 1 failed (the report says where it stopped and how to go on), 2 usage', 'npx milvus-swarm deploy --env production --credentials ~/.config/milvus-swarm/production.env'))
    .action(
      run(async (values: Values) => {
        const { deployCommand } = await import('./commands/deploy.ts');
        return deployCommand(
          {
            environment: text(values, 'env'),
            envFile: credentialsFile(values),
            resolveImage: text(values, 'resolveImage'),
            allMembersAtOnce: values.allMembersAtOnce === true,
            noRecoveryPoint: values.recoveryPoint === false,
            json: values.json === true,
          },
          io,
        );
      }),
    );
}

function defineDiff(program: Command, io: CommandIO, run: Run): void {
  program
    .command('diff')
    .summary('the live swarm against rendered/: what differs, and what deploy would do')
    .description(
      "Compare the services milvus-swarm renders with what runs (docker service inspect): image, command, environment (names; credential values never shown), mounts, secrets, configs, ports, placement, replicas, update and restart settings, labels; the node labels and secrets the topology needs; services it does not render are listed and left alone. Each difference says what a deploy would do and whether data is at stake. It reads and never writes.",
    )
    .option('--env <name>', ENV_HELP)
    .option(CREDENTIALS, 'KEY=value file: its DOCKER_HOST names the manager to ask')
    .addOption(legacyCredentials())
    .addOption(new Option('--format <format>', 'text for a terminal, markdown for a job summary, json for machines').choices(['auto', 'text', 'markdown', 'json']).default('auto'))
    .option('--json', 'the report as JSON (same as --format json)')
    .addHelpText('after', helpFooter('0 in sync, 1 differences (or a takeover), 2 usage', 'npx milvus-swarm diff --env production', 'npx milvus-swarm diff --env production --json'))
    .action(
      run(async (values: Values) => {
        const { diffCommand } = await import('./commands/diff.ts');
        return diffCommand({ environment: text(values, 'env'), envFile: credentialsFile(values), format: values.json === true ? 'json' : (values.format as 'auto' | 'text' | 'markdown' | 'json') }, io);
      }),
    );
}

function defineVerify(program: Command, io: CommandIO, run: Run): void {
  program
    .command('verify')
    .summary('check etcd and MinIO of a running environment (read-only)')
    .description('Check etcd and MinIO for real, through the proxies and inside the stack network, as the runbook does by hand. It reads and never writes.')
    .option('--env <name>', ENV_HELP)
    .option(CREDENTIALS, CREDENTIALS_HELP)
    .addOption(legacyCredentials())
    .option('--etcd-endpoint <host:port>', "the etcd gRPC proxy, instead of the topology's")
    .option('--s3-endpoint <host:port>', "MinIO's load balancer (S3), instead of the topology's")
    .option('--console-endpoint <host:port>', "MinIO's console, instead of the topology's")
    .option('--json', 'the rows as JSON')
    .addHelpText('after', helpFooter('0 every row passes (warnings allowed), 1 a row fails, 2 usage', 'npx milvus-swarm verify --env production --credentials verify.env'))
    .action(
      run(async (values: Values) => {
        const { verifyCommand } = await import('./commands/verify.ts');
        return verifyCommand(
          {
            environment: text(values, 'env'),
            envFile: credentialsFile(values),
            etcd: text(values, 'etcdEndpoint'),
            s3: text(values, 's3Endpoint'),
            console: text(values, 'consoleEndpoint'),
            json: values.json === true,
          },
          io,
        );
      }),
    );
}

function defineBackup(program: Command, io: CommandIO, run: Run): void {
  const backup = program
    .command('backup')
    .summary('make a recovery point (etcd snapshot + bucket cut); `backup list` lists them')
    .description("Make a recovery point of etcd and Milvus's bucket in the topology's backup targets and prune to backup.keep; the point's id is the last line. Signs in to MinIO as root (a point lists every version).")
    .option('--env <name>', ENV_HELP)
    .option(CREDENTIALS, CREDENTIALS_HELP)
    .addOption(legacyCredentials())
    .option('--etcd-endpoint <host:port>', "a member or the gRPC proxy to snapshot with the local etcdctl/etcdutl, instead of the swarm's members")
    .option('--s3-endpoint <host:port>', "Milvus's MinIO, instead of the topology's")
    .option('--reason <text>', 'why the point is made (default: manual)')
    .addHelpText('after', helpFooter('0 made, 1 failed, 2 usage', 'npx milvus-swarm backup --env production --credentials root.env', 'npx milvus-swarm backup list --env production'))
    // `list` is the one subcommand; any other word is refused by name rather than as an extra argument.
    .argument('[subcommand]')
    .action(
      run(async (subcommand: string | undefined, values: Values) => {
        if (subcommand !== undefined) throw new UsageError(`backup: unknown subcommand "${subcommand}" (expected list)`);
        const { backupCommand } = await import('./commands/backup.ts');
        return backupCommand({ ...pointOptions(values), reason: text(values, 'reason') }, io);
      }),
    );
  backup
    .command('list')
    .summary('the recovery points in the targets, with their figures')
    .description('The recovery points in the targets of one environment (or of every environment with a backup: section), newest first.')
    .option('--env <name>', ENV_HELP)
    .option(CREDENTIALS, CREDENTIALS_HELP)
    .addOption(legacyCredentials())
    .option('--json', 'the points as JSON')
    .addHelpText('after', helpFooter('0 listed, 1 a target could not be read, 2 usage', 'npx milvus-swarm backup list --env production --json'))
    .action(
      run(async (own: Values, command: Command) => {
        // `backup --env X list` as well as `backup list --env X`: backup's options before `list` count for list too.
        const values = { ...command.parent?.opts(), ...own };
        const { backupListCommand } = await import('./commands/backup.ts');
        return backupListCommand({ ...pointOptions(values), json: values.json === true }, io);
      }),
    );
}

function defineRestore(program: Command, io: CommandIO, run: Run): void {
  program
    .command('restore')
    .summary('bring etcd and Milvus\'s bucket back to a recovery point')
    .description(
      "Bring etcd and Milvus's bucket back to a recovery point (Milvus stopped first). Without --yes it says what it would restore and changes nothing; a point of the state before is made first (restore it to undo).",
    )
    .option('--env <name>', ENV_HELP)
    .option('--point <id>', 'the point, as `backup list` shows it, or latest')
    .option('--yes', 'restore (without it nothing changes)')
    .option(CREDENTIALS, CREDENTIALS_HELP)
    .addOption(legacyCredentials())
    .option('--etcd-endpoint <host:port>', 'a member to snapshot the undo point from, with the local etcd tools')
    .option('--s3-endpoint <host:port>', "Milvus's MinIO, instead of the topology's")
    .option('--etcd-data-dir <dir>', 'restore etcd into this directory, for a member you start yourself (with --etcd-member)')
    .option('--etcd-member <name=peer-url>', 'that member, e.g. etcd1=http://127.0.0.1:2380')
    .option('--without-undo-point', 'skip the point of the state before (etcd is lost and cannot be snapshotted)')
    .option('--allow-unsigned', 'restore a point by its id that is not signed, or that no MILVUS_SWARM_POINT_KEY here can check (never a forged one)')
    .addHelpText(
      'after',
      helpFooter('0 restored, 1 failed or no such point, 3 not confirmed (no --yes: nothing changed), 2 usage', 'npx milvus-swarm restore --env production --point latest', 'npx milvus-swarm restore --env production --point 20261206T101500Z-3f2a --yes --credentials root.env'),
    )
    .action(
      run(async (values: Values) => {
        const { restoreCommand } = await import('./commands/backup.ts');
        return restoreCommand(
          {
            ...pointOptions(values),
            point: text(values, 'point'),
            yes: values.yes === true,
            etcdDataDir: text(values, 'etcdDataDir'),
            etcdMember: text(values, 'etcdMember'),
            withoutUndoPoint: values.withoutUndoPoint === true,
            allowUnsigned: values.allowUnsigned === true,
          },
          io,
        );
      }),
    );
}

/** Every command, in the order --help lists them. */
const COMMANDS = [defineRender, defineCheck, definePlan, defineSchema, defineDeploy, defineDiff, defineVerify, defineBackup, defineRestore];

const pointOptions = (values: Values) => ({
  environment: text(values, 'env'),
  envFile: credentialsFile(values),
  etcd: text(values, 'etcdEndpoint'),
  s3: text(values, 's3Endpoint'),
});

/** The program, writing through `io`, never exiting the process: every outcome is an exit code. */
function buildProgram(io: CommandIO, finish: (code: number) => void): Command {
  const program = new Command('milvus-swarm')
    .description('GitOps for the etcd and MinIO clusters Milvus depends on, on Docker Swarm: render, check, plan, deploy, verify, back up and restore.')
    .version(`milvus-swarm ${VERSION}`, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help (every command has its own)')
    .helpCommand('help [command]', 'show help for a command')
    .exitOverride()
    .configureOutput({
      writeOut: (line) => io.out(line.replace(/\n$/, '')),
      writeErr: (line) => io.err(line.replace(/\n$/, '')),
      // One line, prefixed like every other error of the CLI: commander's own says "error: …\n(Did you mean …?)".
      outputError: (message, write) => write(`milvus-swarm: ${commanderMessage(message)}\n`),
    })
    .showSuggestionAfterError(true)
    // A command's options only before its subcommand (every command inherits this): otherwise `backup` takes
    // `backup list --env X --credentials F` for itself, and list, given neither, lists every environment without the
    // point key (its points then "not checked").
    .enablePositionalOptions()
    .addHelpText('after', '\nExit codes: 0 ok, 1 failed (invalid input, drift, a failed deploy, verify or backup), 2 usage, 3 destructive plan or restore not confirmed.\nRun `npx milvus-swarm <command> --help` for a command\'s flags, exit codes and an example.');
  const run: Run =
    (action) =>
    async (...args) =>
      finish(await action(...args));
  for (const define of COMMANDS) define(program, io, run);
  return program;
}

export async function main(argv: readonly string[], io: CommandIO = processIO()): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (exit) => {
    code = exit;
  });
  if (argv.length === 0) {
    io.err(program.helpInformation().trimEnd());
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, --version and `help` end here too, having printed what was asked.
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) return EXIT.ok;
      return EXIT.usage;
    }
    return reportError(error, io);
  }
}

/** commander's words in the CLI's own style: one line, names in double quotes, `did you mean "x"?`. */
const commanderMessage = (message: string): string =>
  oneLine(message.replace(/^error: /, ''))
    .replace(/\(Did you mean ([^?]+)\?\)/, "(did you mean '$1'?)")
    .replace(/'([^']*)'/g, '"$1"');

const oneLine = (message: string): string =>
  message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');

function reportError(error: unknown, io: CommandIO): number {
  // One line, whatever the message.
  const message = oneLine(error instanceof Error ? error.message : String(error));
  io.err(`milvus-swarm: ${message}`);
  if (error instanceof UsageError) return EXIT.usage;
  // An unexpected failure is still one line; MILVUS_SWARM_DEBUG=1 shows where it came from.
  if (io.env.MILVUS_SWARM_DEBUG && error instanceof Error) io.err(error.stack ?? '');
  return EXIT.failed;
}
