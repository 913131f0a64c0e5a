// A value one check learns and others wait for (the status judgement, the write quorum, the members' backends).

export interface Later<T> {
  promise: Promise<T | undefined>;
  /** The first call wins; the learning check calls it again with undefined in a `finally`, so no reader waits forever. */
  settle: (value: T | undefined) => void;
}

export function later<T>(): Later<T> {
  let settle: (value: T | undefined) => void = () => undefined;
  const promise = new Promise<T | undefined>((resolve) => (settle = resolve));
  return { promise, settle: (value) => settle(value) };
}
