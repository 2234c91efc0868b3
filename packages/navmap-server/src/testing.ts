/**
 * `@sdap/navmap-server/testing`: helpers for tests of a BFF that embeds the endpoint, and the test helpers several of
 * this repository's packages share (navmap-server's unit tests, local-stack's integration tests).
 */
export { startTestIssuer } from './testing/startTestIssuer.js';
export type { TestIssuer } from './testing/startTestIssuer.js';
