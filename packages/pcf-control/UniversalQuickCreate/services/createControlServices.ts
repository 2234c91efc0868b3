import { createNavMapClient } from '@sdap/navmap-sdk/client';
import type { IInputs } from '../generated/ManifestTypes';
import { clientUrl } from '../host/clientUrl';
import { readHostRecord, type HostRecord } from '../host/readHostRecord';
import { readUserPrincipalName } from '../host/readUserPrincipalName';
import type { UploadPanelProps } from '../ui/UploadPanel';
import fallbackMap from '../navmap.fallback.json';
import { createTelemetry } from '../telemetry/createTelemetry';
import { createContainerLookup } from './createContainerLookup';
import { createControlTokenProvider } from './createControlTokenProvider';
import { CHILD_ENTITY, createLinkStep } from './createLinkStep';
import { createUploadStep } from './createUploadStep';
import { describeBlocker, type Blocker } from './describeBlocker';
import { findNavMapProblem } from './findNavMapProblem';
import { findRedirectPageProblem } from './findRedirectPageProblem';
import { msalConfiguration } from './msalConfiguration';
import { readControlConfig } from './readControlConfig';

export interface ControlServices {
  updateContext(context: ComponentFramework.Context<IInputs>): void;
  /** Why uploads cannot start now; `undefined` when they can. */
  blocker(): Blocker | undefined;
  /** Calls `listener` when `blocker()` may have changed (the NavMap check finished); returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  readonly upload: UploadPanelProps['upload'];
  readonly link: UploadPanelProps['link'];
  readonly signIn: UploadPanelProps['signIn'];
}

const notConfigured = (problem: string) => () => Promise.reject(new Error(problem));

/**
 * Everything the control does besides rendering, wired together: reads its configuration and host record, starts
 * the NavMap load (without waiting), and hands the UI the upload and link steps.
 */
export function createControlServices(initialContext: ComponentFramework.Context<IInputs>): ControlServices {
  let context = initialContext;
  const host = (): HostRecord => readHostRecord(context);
  const listeners = new Set<() => void>();
  const config = readControlConfig(context);
  let navMapProblem: string | undefined;

  const common = {
    updateContext(next: ComponentFramework.Context<IInputs>) {
      context = next;
    },
    blocker: () => describeBlocker({ configProblem: 'problem' in config ? config.problem : undefined, host: host(), navMapProblem }),
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  if ('problem' in config) return { ...common, upload: notConfigured(config.problem), link: notConfigured(config.problem), signIn: notConfigured(config.problem) };

  // MSAL starts on the first token request: a map read from the browser cache needs none. The login hint is the
  // user's UPN from Dataverse (userSettings.userName is the full name), read then too.
  const getAccessToken = createControlTokenProvider({
    configuration: msalConfiguration(config),
    scopes: [config.bffScope],
    loginHint: () => readUserPrincipalName(context),
    findRedirectPageProblem: () =>
      findRedirectPageProblem({ redirectUri: config.msalRedirectUri, pageOrigin: window.location.origin, isDefault: config.msalRedirectUriIsDefault }),
  });
  const navMap = createNavMapClient({
    baseUrl: config.bffBaseUrl,
    getAccessToken,
    environment: clientUrl(context),
    childEntity: CHILD_ENTITY,
    fallback: fallbackMap,
    ...(config.appInsightsConnectionString ? { onEvent: createTelemetry(config.appInsightsConnectionString) } : {}),
  });
  const checkHost = async () => {
    navMapProblem = await findNavMapProblem(navMap, host());
    for (const listener of listeners) listener();
  };
  // The client (and its IndexedDB connection) exists from init, but the load starts in the next task: hosts render
  // the element updateView returns right after init, in the same task, and a load started before that render waits
  // behind it (the form's p95 was 46 ms for a 2-4 ms read). The map is not available later for it.
  setTimeout(() => void checkHost(), 0);

  // The map never waits for a sign-in: it fell back without a token, and is read from the server once one exists.
  const signIn = async () => {
    await getAccessToken.signIn();
    const loaded = await navMap.load().catch(() => undefined);
    if (loaded === undefined || loaded.source === 'fallback') void navMap.load({ refresh: true }).then(checkHost, checkHost);
  };

  const containerIdOf = createContainerLookup(() => context.webAPI, config.containerIdColumn);
  return {
    ...common,
    upload: createUploadStep({
      bffBaseUrl: config.bffBaseUrl,
      uploadSessionThresholdBytes: config.uploadSessionThresholdBytes,
      getAccessToken,
      host,
      containerIdOf,
    }),
    link: createLinkStep({ navMap, webAPI: () => context.webAPI, host, containerIdOf, clientUrl: () => clientUrl(context) }),
    signIn,
  };
}
