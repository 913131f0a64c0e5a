// The caller asked for something that cannot be (an unknown environment, a malformed flag, a missing file): the CLI
// prints the message alone and exits 2; an action fails with the message. Thrown by the commands and by the
// workspace readers, caught in cli.ts.
export class UsageError extends Error {}
