// What a command may touch of the outside world, so tests can run commands in-process.
export interface CommandIO {
  cwd: string;
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** stdout is a terminal: human text, wrapped to `columns`, instead of the markdown a job summary takes. */
  terminal?: { columns: number };
}

/** 4: changes found (plan --detailed-exitcode), as terraform's 2 — which is our usage code. */
export const EXIT = { ok: 0, failed: 1, usage: 2, destructive: 3, changes: 4 } as const;

export const processIO = (): CommandIO => ({
  cwd: process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  ...(process.stdout.isTTY ? { terminal: { columns: process.stdout.columns || 100 } } : {}),
});
