import { createNavMapClient, type NavMapClient } from '@sdap/navmap-sdk/client';
import { createMsalTokenProvider } from '@sdap/navmap-sdk/msal';
import { isNavMapError } from '@sdap/navmap-sdk';
import type { IInputs } from '../generated/ManifestTypes';
import { documentPayload } from '../documents/documentPayload';
import { describeError } from '../documents/describeError';
import { formPage, readHostRecord, type HostRecord } from '../host/readHostRecord';
import { uploadFile, type DriveItem } from '../upload/uploadFile';
import type { UploadPanelProps } from '../ui/UploadPanel';
import { readControlConfig, type ControlConfig } from './readControlConfig';
import { createTelemetry } from './createTelemetry';
import fallbackMap from '../navmap.fallback.json';

const CHILD_ENTITY = 'sprk_document';
const LOG_PREFIX = '[UniversalQuickCreate]';

export interface ControlServices {
  updateContext(context: ComponentFramework.Context<IInputs>): void;
  blocker(): UploadPanelProps['blocker'];
  readonly upload: UploadPanelProps['upload'];
  readonly link: UploadPanelProps['link'];
}

/** NavMap's code, else Dataverse's hex code (PCF rejects with its unsigned decimal form). */
function errorCodeOf(error: unknown): string {
  if (isNavMapError(error)) return error.code;
  const { errorCode, code } = (error ?? {}) as { errorCode?: unknown; code?: unknown };
  if (typeof code === 'string' && code) return code;
  if (typeof errorCode === 'number') return `0x${(errorCode >>> 0).toString(16)}`;
  return 'unknown';
}

interface XrmLike {
  Utility?: { getGlobalContext?: () => { getClientUrl?: () => string } };
}

/** The Dataverse URL of the form: context.page first, then Xrm, then the page's own origin. */
function clientUrl(context: ComponentFramework.Context<IInputs>): string {
  const fromPage = formPage(context)?.getClientUrl?.();
  if (fromPage) return fromPage.replace(/\/+$/, '');
  const xrm = (globalThis as { Xrm?: XrmLike }).Xrm;
  const fromXrm = xrm?.Utility?.getGlobalContext?.().getClientUrl?.();
  return (fromXrm ?? window.location.origin).replace(/\/+$/, '');
}

function msalConfiguration(config: ControlConfig) {
  const authority = new URL(config.authority);
  // A non-Azure authority (the local identity provider, ADFS) must be declared known and spoken to as plain OIDC.
  const isAzureAd = authority.hostname === 'login.microsoftonline.com';
  return {
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      redirectUri: config.msalRedirectUri,
      ...(isAzureAd ? {} : { knownAuthorities: [authority.host], OIDCOptions: { defaultScopes: ['openid', 'profile'] } }),
    },
    cache: { cacheLocation: 'sessionStorage' as const },
    ...(isAzureAd ? {} : { system: { protocolMode: 'OIDC' as const } }),
  };
}

/**
 * Everything the control does besides rendering: reads its configuration and host record, starts the NavMap load
 * (without waiting), stores files through the BFF, and creates the document record with the NavMap's bind.
 */
export function createControlServices(initialContext: ComponentFramework.Context<IInputs>, rerender: () => void): ControlServices {
  let context = initialContext;
  const config = readControlConfig(context);
  const host = (): HostRecord => readHostRecord(context);
  let navMapProblem: string | undefined;
  let client: NavMapClient | undefined;
  let getAccessToken: () => Promise<string> = () => Promise.reject(new Error('The control is not configured.'));

  if (!('problem' in config)) {
    const userName = context.userSettings?.userName;
    getAccessToken = createMsalTokenProvider({
      configuration: msalConfiguration(config),
      scopes: [config.bffScope],
      ...(userName ? { loginHint: userName } : {}),
      allowInteraction: false,
    });
    client = createNavMapClient({
      baseUrl: config.bffBaseUrl,
      getAccessToken,
      environment: clientUrl(context),
      childEntity: CHILD_ENTITY,
      fallback: fallbackMap,
      ...(config.appInsightsConnectionString ? { onEvent: createTelemetry(config.appInsightsConnectionString) } : {}),
    });
    const navMap = client;
    const current = host();
    const checkHost = async () => {
      try {
        await navMap.load();
        if (current.kind !== 'unknown') await navMap.requireNavEntry(current.entityName);
      } catch (error) {
        navMapProblem = describeError(error);
      }
      rerender();
    };
    void checkHost();
  }

  const savedHost = (): Extract<HostRecord, { kind: 'saved' }> => {
    const record = host();
    if (record.kind !== 'saved') throw new Error('Save the record before adding documents.');
    return record;
  };

  const containerIdOf = async (record: Extract<HostRecord, { kind: 'saved' }>, column: string): Promise<string> => {
    const row = await context.webAPI.retrieveRecord(record.entityName, record.id, `?$select=${column}`);
    const value: unknown = row[column];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(`This ${record.entityName} has no SharePoint Embedded container (column ${column} is empty). Ask an administrator to provision one.`);
    }
    return value;
  };

  const containers = new Map<string, Promise<string>>();

  return {
    updateContext(next) {
      context = next;
    },

    blocker() {
      if ('problem' in config) return { intent: 'error', title: 'The control is not configured', message: config.problem };
      const record = host();
      if (record.kind === 'unknown') {
        return {
          intent: 'error',
          title: 'No record',
          message: 'The control cannot tell which record it is on. Place it on a model-driven form or bind entityId and entityName.',
        };
      }
      if (record.kind === 'unsaved') {
        return { intent: 'info', title: 'Save the record first', message: `Documents can be added once this ${record.entityName} is saved.` };
      }
      if (navMapProblem) return { intent: 'error', title: 'Documents cannot be linked to this record', message: navMapProblem };
      return undefined;
    },

    async upload(file, onProgress): Promise<DriveItem> {
      if ('problem' in config) throw new Error(config.problem);
      const record = savedHost();
      const key = `${record.entityName}:${record.id}`;
      let container = containers.get(key);
      if (!container) {
        container = containerIdOf(record, config.containerIdColumn);
        containers.set(key, container);
        container.catch(() => containers.delete(key));
      }
      return uploadFile({
        bffBaseUrl: config.bffBaseUrl,
        getAccessToken,
        containerId: await container,
        file,
        thresholdBytes: config.uploadSessionThresholdBytes,
        onProgress: (sent) => onProgress(sent),
      });
    },

    async link(file, item, description) {
      if ('problem' in config || !client) throw new Error('The control is not configured.');
      const navMap = client;
      const record = savedHost();
      const containerId = await (containers.get(`${record.entityName}:${record.id}`) ?? containerIdOf(record, config.containerIdColumn));
      const columns = documentPayload({ file, item, containerId, description });
      const started = performance.now();
      let bindKey = '';
      let attempts = 0;
      try {
        const created = await navMap.withBindRetry(async (current) => {
          attempts++;
          const bind = await current.bind(record.entityName, record.id);
          bindKey = Object.keys(bind)[0] ?? '';
          return context.webAPI.createRecord(CHILD_ENTITY, { ...columns, ...bind });
        });
        const recordId = created.id.replace(/[{}]/g, '').toLowerCase();
        const source = navMap.getNavEntry(record.entityName)?.source;
        navMap.track({
          name: 'DocumentCreated',
          parentEntity: record.entityName,
          ...(source ? { source } : {}),
          retried: attempts > 1,
          durationMs: Math.round(performance.now() - started),
        });
        console.log(`${LOG_PREFIX} Created ${CHILD_ENTITY} ${recordId} for ${record.entityName} with '${bindKey}'`);
        return { recordId, recordUrl: `${clientUrl(context)}/main.aspx?etn=${CHILD_ENTITY}&id=${recordId}&pagetype=entityrecord` };
      } catch (error) {
        const message = describeError(error);
        const source = navMap.getNavEntry(record.entityName)?.source;
        navMap.track({
          name: 'DocumentCreateFailed',
          parentEntity: record.entityName,
          errorCode: errorCodeOf(error),
          message,
          ...(source ? { source } : {}),
          retried: attempts > 1,
        });
        console.error(`${LOG_PREFIX} Creating ${CHILD_ENTITY} for ${record.entityName} with '${bindKey || '(no bind)'}' failed: ${message}`);
        throw error;
      }
    },
  };
}
