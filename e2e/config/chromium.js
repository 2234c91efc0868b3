/* global process */
/**
 * How every Playwright configuration of this repository starts Chromium: Debian's build (docs/e2e.md; Playwright's
 * own download is not used), headless, without the background traffic a test run does not want. Plain
 * JavaScript so that `@sdap/navmap-sdk`'s configuration can import it by package name without a build.
 */

/** The Chromium used when neither `--chromium` nor NAVMAP_CHROMIUM_PATH names another. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Chromium's command-line switches for a test run in a container or CI machine. */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]);

/**
 * Playwright's `launchOptions` for Chromium at `executablePath` (default: NAVMAP_CHROMIUM_PATH, else /usr/bin/chromium).
 *
 * @example
 * use: { browserName: 'chromium', launchOptions: chromiumLaunchOptions() }
 */
export function chromiumLaunchOptions(executablePath = process.env.NAVMAP_CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH) {
  return { executablePath, args: [...CHROMIUM_ARGS] };
}
