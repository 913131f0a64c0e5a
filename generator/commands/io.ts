// What a command may touch of the outside world, so tests can run commands in-process.
export interface CommandIO {
  cwd: string;
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, destructive: 3 } as const;

export const processIO = (): CommandIO => ({
  cwd: process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
});
