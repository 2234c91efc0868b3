/**
 * `step`'s result, or the error `late()` makes once `timeoutMs` pass first: the one deadline of the client's waits on
 * code it does not own (a token provider, a storage step), which may never settle.
 */
export function withTimeout<T>(step: () => T | PromiseLike<T>, timeoutMs: number, late: () => unknown): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), timeoutMs);
  });
  return Promise.race([Promise.resolve().then(step), deadline]).finally(() => clearTimeout(timer));
}
