export { createMsalTokenProvider } from './createMsalTokenProvider.js';
export type { MsalTokenProvider, MsalTokenProviderOptions } from './createMsalTokenProvider.js';
