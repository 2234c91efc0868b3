import type { NavEntryWithSource, NavMapClient } from '../client/NavMapClient.js';
import { useClientState } from './useClientState.js';

/** What `useNavEntry` returns; `status` says which fields are set. */
export type NavEntryState =
  | { readonly status: 'loading'; readonly entry: undefined; readonly error: undefined; readonly reload: () => Promise<void> }
  | { readonly status: 'ready'; readonly entry: NavEntryWithSource; readonly error: undefined; readonly reload: () => Promise<void> }
  | { readonly status: 'error'; readonly entry: undefined; readonly error: Error; readonly reload: () => Promise<void> };

/**
 * One parent's entry for a component, as `requireNavEntry` gives it: `error` is the client's `NavMapError`
 * (`unsupported_parent` names the parent and lists those available; `server_unavailable` when no layer had a map).
 * Loads, shares and re-renders as `useNavMap` does.
 *
 * @param client From `createNavMapClient`, created once.
 * @param parent The parent table's logical name, any case (`sprk_matter`).
 * @example
 * import { toODataBind } from '@sdap/navmap-sdk';
 * import { useNavEntry } from '@sdap/navmap-sdk/react';
 *
 * function LinkButton({ navMap, parent, id }: { navMap: NavMapClient; parent: string; id: string }) {
 *   const state = useNavEntry(navMap, parent);
 *   if (state.status === 'error') return <MessageBar intent="error">{state.error.message}</MessageBar>;
 *   return (
 *     <Button disabled={state.status !== 'ready'} onClick={() => state.entry && void create(toODataBind(state.entry, id))}>
 *       Link
 *     </Button>
 *   );
 * }
 */
export function useNavEntry(client: NavMapClient, parent: string): NavEntryState {
  const { value, error, reload } = useClientState(
    client,
    parent,
    () => client.getNavEntry(parent),
    () => client.requireNavEntry(parent),
  );
  if (value) return { status: 'ready', entry: value, error: undefined, reload };
  if (error) return { status: 'error', entry: undefined, error, reload };
  return { status: 'loading', entry: undefined, error: undefined, reload };
}
