// Quoting for the rendered shell scripts: every value from the topology goes into a script single-quoted.

/** `'value'`, with any `'` inside closed, escaped and reopened: the shell reads it back byte for byte. */
export const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;
