import { createNavMapClient, type NavMapClient } from '@sdap/navmap-sdk/client';
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
import { findRedirectPageProblem } from './findRedirectPageProblem';
import { msalConfiguration } from './msalConfiguration';
import { readControlConfig } from './readControlConfig';

export interface ControlServices {
  updateContext(context: ComponentFramework.Context<IInputs>): void;
  /** The record the form shows, read from the latest context. */
  host(): HostRecord;
  /** Why uploads cannot start now, given the NavMap's problem with the host's table; `undefined` when they can. */
  blocker(navMapProblem: string | undefined): Blocker | undefined;
  /** The NavMap client the UI follows with `@sdap/navmap-sdk/react`; `undefined` when the control is not configured. */
  readonly navMap: NavMapClient | undefined;
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
  const config = readControlConfig(context);

  const common = {
    updateContext(next: ComponentFramework.Context<IInputs>) {
      context = next;
    },
    host,
    blocker: (navMapProblem: string | undefined) =>
      describeBlocker({ configProblem: 'problem' in config ? config.problem : undefined, host: host(), navMapProblem }),
  };
  if ('problem' in config) return { ...common, navMap: undefined, upload: notConfigured(config.problem), link: notConfigured(config.problem), signIn: notConfigured(config.problem) };

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
  // The client (and its IndexedDB connection) exists from init; the UI's hooks start the load after the first render
  // (hosts render the element updateView returns right after init, in the same task, and a load started before that
  // render waits behind it: the form's p95 was 46 ms for a 2-4 ms read).

  // The map never waits for a sign-in: it fell back without a token, and is read from the server once one exists
  // (the UI follows the client, so it shows the new map).
  const signIn = async () => {
    await getAccessToken.signIn();
    const loaded = await navMap.load().catch(() => undefined);
    if (loaded === undefined || loaded.source === 'fallback') void navMap.load({ refresh: true }).catch(() => undefined);
  };

  const containerIdOf = createContainerLookup(() => context.webAPI, config.containerIdColumn);
  return {
    ...common,
    navMap,
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
