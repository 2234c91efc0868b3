export { startLocalStack, BFF_SCOPE, CONTROL_BUNDLE } from './startLocalStack.js';
export type { LocalEnvironmentStack, LocalStack, LocalStackOptions } from './startLocalStack.js';
export { navMapServerConfig, clientSecretOf, CALLER_CLIENT_ID, NAVMAP_SERVER_CLIENT_ID } from './navMapServerConfig.js';
export { startNavMapServer } from './startNavMapServer.js';
export type { RunningNavMapServer } from './startNavMapServer.js';
export { LOCAL_STACK_SCRIPT } from './localStackScript.js';
export type { AdminClient, BrowserSession, RelationshipChange, RequestCounts } from '@sdap/local-environment';
export { readLocalTls } from './readLocalTls.js';
