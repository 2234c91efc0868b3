/** The Chromium used when neither `--chromium` nor NAVMAP_CHROMIUM_PATH names another. */
export declare const DEFAULT_CHROMIUM_PATH: string;
/** Chromium's command-line switches for a test run in a container or CI machine. */
export declare const CHROMIUM_ARGS: readonly string[];
/** Playwright's `launchOptions` for Chromium at `executablePath` (default: NAVMAP_CHROMIUM_PATH, else /usr/bin/chromium). */
export declare function chromiumLaunchOptions(executablePath?: string): { executablePath: string; args: string[] };
