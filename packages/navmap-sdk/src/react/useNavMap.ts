import type { NavMapClient } from '../client/NavMapClient.js';
import type { NavMapSource } from '../contract/NavMapClientEvent.js';
import type { NavMapResponse } from '../contract/types.js';
import { useClientState } from './useClientState.js';

/** Where a hook's value is: the map is loading, it is there, or no layer had it. */
export type NavMapStatus = 'loading' | 'ready' | 'error';

/** What `useNavMap` returns; `status` says which fields are set. */
export type NavMapState =
  | { readonly status: 'loading'; readonly map: undefined; readonly source: undefined; readonly error: undefined; readonly reload: () => Promise<void> }
  | { readonly status: 'ready'; readonly map: NavMapResponse; readonly source: NavMapSource; readonly error: undefined; readonly reload: () => Promise<void> }
  | { readonly status: 'error'; readonly map: undefined; readonly source: undefined; readonly error: Error; readonly reload: () => Promise<void> };

/**
 * The client's map for a component: loads it on mount unless the page already holds it, and renders again when any
 * client on the page with the same key loads, revalidates into a new map, or invalidates it (then it loads again). All
 * components share the client's one load. Nothing runs and no state changes after unmount. `reload()` asks the server
 * past the caches and never rejects: while a map is held, the client keeps serving it and so does the hook.
 *
 * @param client From `createNavMapClient`, created once (outside the component, or in the control's `init`).
 * @example
 * import { useNavMap } from '@sdap/navmap-sdk/react';
 *
 * function MapStatus({ navMap }: { navMap: NavMapClient }) {
 *   const state = useNavMap(navMap);
 *   if (state.status === 'loading') return <Spinner label="Reading the table relationships…" />;
 *   if (state.status === 'error') return <button onClick={() => void state.reload()}>{state.error.message} Retry</button>;
 *   return <span>{Object.keys(state.map.parents).length} tables, from {state.source}</span>;
 * }
 */
export function useNavMap(client: NavMapClient): NavMapState {
  const { value, error, reload } = useClientState(client, '', () => client.getNavMap(), () => client.load());
  if (value) return { status: 'ready', map: value.map, source: value.source, error: undefined, reload };
  if (error) return { status: 'error', map: undefined, source: undefined, error, reload };
  return { status: 'loading', map: undefined, source: undefined, error: undefined, reload };
}
