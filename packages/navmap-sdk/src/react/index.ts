/**
 * React hooks for virtual PCF controls (React 16.14, 17 and 18, as the platform gives them): the client's state
 * without subscription glue. Imports `react` by name so pcf-scripts maps it to the platform's React; no server code,
 * no MSAL.
 */
export { useNavMap } from './useNavMap.js';
export type { NavMapState, NavMapStatus } from './useNavMap.js';
export { useNavEntry } from './useNavEntry.js';
export type { NavEntryState } from './useNavEntry.js';
