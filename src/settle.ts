/**
 * Runs `fn` now and returns its result as a promise; a throw becomes a rejection, exactly as it would in an
 * `async` function. For promise-returning APIs whose implementation happens to be synchronous.
 */
export function settle<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}
