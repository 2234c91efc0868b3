import * as React from 'react';
import type { NavMapClient } from '../client/NavMapClient.js';

/** What a hook shows: the value while the client has it, else the last load's error, else loading. */
export interface ClientState<T> {
  readonly value: T | undefined;
  readonly error: Error | undefined;
  /** Reloads the map past the caches; never rejects (a failure shows as `error` while no map is held). */
  readonly reload: () => Promise<void>;
}

interface Shown<T> {
  readonly client: NavMapClient;
  readonly key: string;
  readonly value: T | undefined;
  readonly error: Error | undefined;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** The same value for the view: `ageMs` alone changing (a 304 revalidation) is not worth a render. */
function sameForView(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a).filter((key) => key !== 'ageMs');
  return (
    keys.length === Object.keys(b).filter((key) => key !== 'ageMs').length &&
    keys.every((key) => (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key])
  );
}

/**
 * One value read from a client's memory (`read`) and fetched when memory lacks it (`load`), following the client's
 * notifications. Uses only what React 16.14 has (no useSyncExternalStore): state set from a subscription made in an
 * effect, which is checked again once subscribed, and no state update after unmount.
 */
export function useClientState<T>(client: NavMapClient, key: string, read: () => T | undefined, load: () => Promise<T>): ClientState<T> {
  const [shown, setShown] = React.useState<Shown<T>>(() => ({ client, key, value: read(), error: undefined }));
  const reloadRef = React.useRef<() => Promise<void>>(() => Promise.resolve());
  let current = shown;
  if (shown.client !== client || shown.key !== key) {
    current = { client, key, value: read(), error: undefined };
    setShown(current); // another client or parent: show its state in this very render
  }

  React.useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = (value: T | undefined, error: Error | undefined): void => {
      if (!active) return;
      setShown((previous) =>
        previous.client === client && previous.key === key && sameForView(previous.value, value) && previous.error === error
          ? previous
          : { client, key, value, error },
      );
    };
    const settle = (loading: Promise<unknown>): Promise<void> =>
      loading.then(
        () => show(read(), undefined),
        (error: unknown) => {
          const value = read();
          show(value, value === undefined ? asError(error) : undefined);
        },
      );
    const onChange = (): void => {
      const value = read();
      if (value !== undefined) {
        show(value, undefined);
        return;
      }
      if (client.getNavMap() === undefined) show(undefined, undefined);
      // In the next task: whoever invalidated usually reloads right away (withBindRetry does, past the caches), and a
      // load started after that one joins it instead of racing it with a second request.
      clearTimeout(timer);
      timer = setTimeout(() => void settle(load()), 0);
    };
    const unsubscribe = client.subscribe(onChange);
    reloadRef.current = () => {
      show(read(), undefined);
      return settle(client.load({ refresh: true }).then(load));
    };
    // Loads when memory is empty, and lets the client apply its freshness rules (revalidate, reload) when it is not.
    void settle(load());
    return () => {
      active = false;
      clearTimeout(timer);
      unsubscribe();
      reloadRef.current = () => Promise.resolve();
    };
  }, [client, key]); // `read` and `load` are functions of these two

  const reload = React.useCallback(() => reloadRef.current(), []);
  return { value: current.value, error: current.error, reload };
}
