/**
 * `node --import @sdap/local-environment/register-localhost-names`: this process resolves `*.localhost` (the local
 * identity provider's `login.localhost`) to loopback, as Chromium does. For a process that talks to a local
 * environment started elsewhere, e.g. the test run of `npm run e2e:rehearse`.
 */
import { resolveLocalhostNames } from './resolveLocalhostNames.js';

resolveLocalhostNames();
