/**
 * Page side of the Application Insights test: the real `@microsoft/applicationinsights-web` SDK and the BUILT
 * `@sdap/navmap-sdk/client` and `/appinsights` entries, bundled by esbuild.
 */
import { ApplicationInsights } from '@microsoft/applicationinsights-web';
import { createAppInsightsEventSink } from '@sdap/navmap-sdk/appinsights';
import { createNavMapClient } from '@sdap/navmap-sdk/client';

declare const HARNESS_NAME: string;

export interface AppInsightsRunConfig {
  readonly connectionString: string;
  readonly baseUrl: string;
  /** A second server path whose NavMap endpoint fails, for a NavMapLayerFailed event. */
  readonly failingBaseUrl: string;
  readonly environment: string;
  readonly token: string;
  readonly fallback: unknown;
}

export const appInsightsHarness = {
  /** Loads the map through two clients (one served, one falling back), tracks both document events, flushes. */
  async run(config: AppInsightsRunConfig): Promise<{ sources: string[] }> {
    const appInsights = new ApplicationInsights({
      config: {
        connectionString: config.connectionString,
        maxBatchInterval: 50,
        // The default config-sync plugin fetches from a CDN; the test may not leave the machine.
        extensionConfig: { AppInsightsCfgSyncPlugin: { cfgUrl: '' } },
      },
    });
    appInsights.loadAppInsights();
    const onEvent = createAppInsightsEventSink(appInsights);
    const common = { environment: config.environment, getAccessToken: () => config.token, storage: 'memory' as const, onEvent };
    const served = createNavMapClient({ ...common, baseUrl: config.baseUrl });
    const fellBack = createNavMapClient({ ...common, baseUrl: config.failingBaseUrl, fallback: config.fallback });
    const sources = [(await served.load()).source, (await fellBack.load()).source];
    served.track({ name: 'DocumentCreated', parentEntity: 'sprk_matter', source: 'server', retried: false, durationMs: 87.5 });
    served.track({ name: 'DocumentCreateFailed', parentEntity: 'sprk_project', errorCode: '0x80040217', message: 'sprk_project does not exist', source: 'server', retried: true });
    appInsights.flush();
    return { sources };
  },
};

export type AppInsightsHarness = typeof appInsightsHarness;

(globalThis as Record<string, unknown>)[HARNESS_NAME] = appInsightsHarness;
