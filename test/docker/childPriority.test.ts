// runCommand's children keep a niced caller's priority although each gets a session (and so, under autogroup
// scheduling, a scheduling group) of its own (generator/docker/childPriority.ts). Real processes: a caller started
// with `nice -n 7` runs a shell through runCommand that reads its group's nice once runCommand has written its stdin
// (which runCommand does after setting the group's nice: no race), and the child's group must say nice 7.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../generator/docker/cli.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const autogroupScheduling = existsSync('/proc/sys/kernel/sched_autogroup_enabled') && readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
const caller = `import { runCommand } from './generator/docker/cli.ts';
const result = await runCommand('sh', ['-c', 'read line; cat /proc/self/autogroup'], { timeoutMs: 10_000, input: 'go\\n' });
process.stdout.write(result.stdout);`;

describe.runIf(autogroupScheduling)("a command's scheduling group (this kernel schedules by autogroup)", () => {
  it("gets the nice of a niced caller, not the new group's 0", async () => {
    const run = await runCommand('nice', ['-n', '7', process.execPath, '--import', 'tsx', '--input-type=module', '-e', caller], { cwd: root, timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\/autogroup-\d+ nice 7$/m);
  });

  it('is left at 0 for a caller at nice 0 (nothing written)', async () => {
    const run = await runCommand(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', caller], { cwd: root, timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\/autogroup-\d+ nice 0$/m);
  });
});
