import type { ValidationTarget } from '../support/ValidationTarget.js';

export interface EndpointAnswer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, when it is JSON. */
  readonly body: T | undefined;
  /** From sending the request to the whole body read, in milliseconds. */
  readonly durationMs: number;
}

export interface NavMapBody {
  readonly version: string;
  readonly environment: string;
  readonly childEntity?: string;
  readonly generatedAt: string;
  readonly parents: Readonly<Record<string, { entitySet: string; lookupAttribute: string; navProperty: string; collectionNavProperty?: string }>>;
  readonly errors?: Readonly<Record<string, { code: string; message: string }>>;
}

/** The BFF's NavMap endpoint and its health routes, called as a service would (not through the browser). */
export class NavMapEndpoint {
  constructor(private readonly target: ValidationTarget) {}

  get url(): string {
    return `${this.target.bffUrl}/api/pcf/dataverse-navmap?v=1`;
  }

  /** `GET /api/pcf/dataverse-navmap?v=1`; `token: null` sends none, `undefined` the endpoint client's token. */
  async get(options: { token?: string | null; headers?: Record<string, string> } = {}): Promise<EndpointAnswer<NavMapBody>> {
    const token = options.token === undefined ? await this.target.endpointToken() : options.token;
    return this.call(this.url, { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...options.headers });
  }

  /** The map, asserting a 200. */
  async map(): Promise<NavMapBody> {
    const answer = await this.get();
    if (answer.status !== 200 || !answer.body) throw new Error(`The NavMap endpoint answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    return answer.body;
  }

  health(): Promise<EndpointAnswer<{ status: string; version: string; environment?: string }>> {
    return this.call(`${this.target.bffUrl}/healthz`, {});
  }

  ready(): Promise<EndpointAnswer<{ ready: boolean; generatedAt?: string; reason?: string }>> {
    return this.call(`${this.target.bffUrl}/readyz`, {});
  }

  private async call<T>(url: string, headers: Record<string, string>): Promise<EndpointAnswer<T>> {
    const started = performance.now();
    const response = await fetch(url, { headers });
    const text = await response.text();
    const durationMs = performance.now() - started;
    let body: T | undefined;
    try {
      body = JSON.parse(text) as T;
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, text, body, durationMs };
  }
}
