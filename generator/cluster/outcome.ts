// A judgement of what a cluster said: pass, warn or fail with one line that says what was seen and, when it is not a
// pass, what to do. verify turns outcomes into rows; deploy and restore wait until one passes.
export type Status = 'pass' | 'warn' | 'fail';

export interface Outcome {
  status: Status;
  reason: string;
}

export const pass = (reason: string): Outcome => ({ status: 'pass', reason });
export const warn = (reason: string): Outcome => ({ status: 'warn', reason });
export const fail = (reason: string): Outcome => ({ status: 'fail', reason });
