export { createMsalTokenProvider } from './createMsalTokenProvider.js';
export type { MsalTokenProviderOptions } from './createMsalTokenProvider.js';
