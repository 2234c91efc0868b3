/**
 * The page side of the React hook tests: bundled from the BUILT `@sdap/navmap-sdk/react` and `/client` (dist), with
 * `react` and `react-dom` taken from the globals the UMD scripts set, as pcf-scripts maps them to the platform's React.
 * Each mounted view writes its hook state to the DOM and records the status of every render.
 */
import { createNavMapClient, isNavMapError, type NavMapClient } from '@sdap/navmap-sdk/client';
import { useNavEntry, useNavMap } from '@sdap/navmap-sdk/react';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import type { HarnessClientConfig } from './harness.js';

/** React 18's root API, read from the UMD global when it is there (React 16 has only `render`). */
interface Root {
  render(element: React.ReactElement): void;
  unmount(): void;
}
type DomWithRoots = typeof ReactDOM & { createRoot?: (container: Element) => Root };

interface Mounted {
  readonly container: HTMLElement;
  readonly root: Root | undefined;
  reload: () => Promise<void>;
}

export interface ReactHarness {
  readonly reactVersion: string;
  /** Renders in this view so far: the status of each, in order. */
  readonly renders: Record<string, string[]>;
  create(config: HarnessClientConfig): number;
  /** A view of `useNavMap` (no parent) or `useNavEntry` (parent) for client `index`, in a new container. */
  mount(view: string, index: number, parent?: string): void;
  unmount(view: string): void;
  reload(view: string): Promise<void>;
  invalidate(index: number): Promise<void>;
  /** Settles when client `index`'s load does; whether it succeeded. */
  load(index: number): Promise<boolean>;
  /** Subscriptions a view still holds on client `index`. */
  subscriptions(index: number): number;
  /**
   * Creates a document bound to `parent` record `id` through the fake server's Dataverse endpoint, in `withBindRetry`
   * as a control does; the number of attempts.
   */
  createDocument(index: number, parent: string, id: string): Promise<number>;
}

const clients: NavMapClient[] = [];
const subscriptionCounts: number[] = [];
const mounted = new Map<string, Mounted>();
const renders: Record<string, string[]> = {};

/** The state as text: what a test reads from the DOM. */
function describe(state: ReturnType<typeof useNavMap> | ReturnType<typeof useNavEntry>): string {
  if (state.status === 'error') return `error ${isNavMapError(state.error) ? state.error.code : state.error.name}: ${state.error.message}`;
  if (state.status === 'loading') return 'loading';
  if ('map' in state) return `ready ${state.source} ${Object.keys(state.map.parents).sort().join(',')}`;
  return `ready ${state.entry.source} ${state.entry.navProperty}`;
}

function View({ view, client, parent }: { view: string; client: NavMapClient; parent: string | undefined }): React.ReactElement {
  // The parent is fixed per view, so the hook called does not change between renders.
  const state = parent === undefined ? useNavMap(client) : useNavEntry(client, parent);
  (renders[view] ??= []).push(state.status);
  const entry = mounted.get(view);
  if (entry) entry.reload = state.reload;
  return React.createElement('output', { 'data-testid': view, 'data-status': state.status }, describe(state));
}

const harness: ReactHarness = {
  reactVersion: React.version,
  renders,
  create(config) {
    const client = createNavMapClient({
      baseUrl: config.baseUrl,
      environment: config.environment,
      getAccessToken: () => (config.token === null ? Promise.reject(new Error('no token')) : config.token),
      ...(config.fallback === undefined ? {} : { fallback: config.fallback }),
      ...(config.storage === undefined ? {} : { storage: config.storage }),
    });
    const index = clients.push(client) - 1;
    subscriptionCounts[index] = 0;
    const subscribe = client.subscribe.bind(client);
    // Counts what the views hold, to show that unmounting lets go.
    client.subscribe = (listener) => {
      subscriptionCounts[index] = (subscriptionCounts[index] ?? 0) + 1;
      const unsubscribe = subscribe(listener);
      return () => {
        subscriptionCounts[index] = (subscriptionCounts[index] ?? 0) - 1;
        unsubscribe();
      };
    };
    return index;
  },
  mount(view, index, parent) {
    const client = clients[index];
    if (!client) throw new Error(`no client ${index}`);
    const container = document.body.appendChild(document.createElement('div'));
    const dom = ReactDOM as DomWithRoots;
    const root = dom.createRoot?.(container);
    mounted.set(view, { container, root, reload: () => Promise.resolve() });
    const element = React.createElement(View, { view, client, parent });
    if (root) root.render(element);
    else ReactDOM.render(element, container);
  },
  unmount(view) {
    const entry = mounted.get(view);
    if (!entry) throw new Error(`no view ${view}`);
    if (entry.root) entry.root.unmount();
    else ReactDOM.unmountComponentAtNode(entry.container);
    entry.container.remove();
  },
  reload: (view) => mounted.get(view)?.reload() ?? Promise.reject(new Error(`no view ${view}`)),
  invalidate: (index) => (clients[index] as NavMapClient).invalidate(),
  load: (index) => (clients[index] as NavMapClient).load().then(() => true, () => false),
  subscriptions: (index) => subscriptionCounts[index] ?? 0,
  async createDocument(index, parent, id) {
    const client = clients[index] as NavMapClient;
    let attempts = 0;
    await client.withBindRetry(async (navMap) => {
      attempts += 1;
      const body = { sprk_documentname: 'A.pdf', ...(await navMap.bind(parent, id)) };
      const response = await fetch(`${client.options.baseUrl}/api/data/v9.2/sprk_documents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        // Shaped like a PCF context.webAPI rejection: errorCode as the unsigned 32-bit number, Dataverse's message.
        const { error } = (await response.json()) as { error: { code: string; message: string } };
        throw Object.assign(new Error(error.message), { errorCode: Number.parseInt(error.code, 16) });
      }
    });
    return attempts;
  },
};

(globalThis as typeof globalThis & { reactHarness?: ReactHarness }).reactHarness = harness;
