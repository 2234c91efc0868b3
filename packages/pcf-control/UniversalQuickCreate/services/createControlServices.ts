import { createNavMapClient } from '@sdap/navmap-sdk/client';
import { createMsalTokenProvider } from '@sdap/navmap-sdk/msal';
import type { IInputs } from '../generated/ManifestTypes';
import { clientUrl } from '../host/clientUrl';
import { readHostRecord, type HostRecord } from '../host/readHostRecord';
import type { UploadPanelProps } from '../ui/UploadPanel';
import fallbackMap from '../navmap.fallback.json';
import { createTelemetry } from '../telemetry/createTelemetry';
import { createContainerLookup } from './createContainerLookup';
import { CHILD_ENTITY, createLinkStep } from './createLinkStep';
import { createUploadStep } from './createUploadStep';
import { describeBlocker, type Blocker } from './describeBlocker';
import { findNavMapProblem } from './findNavMapProblem';
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
  if ('problem' in config) return { ...common, upload: notConfigured(config.problem), link: notConfigured(config.problem) };

  const userName = context.userSettings?.userName;
  // MSAL starts on the first token request: a map read from the browser cache needs none.
  const getAccessToken = createMsalTokenProvider({
    configuration: msalConfiguration(config),
    scopes: [config.bffScope],
    ...(userName ? { loginHint: userName } : {}),
    allowInteraction: false,
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
  void checkHost();

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
  };
}
