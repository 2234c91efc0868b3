// Shared test support, used by the integration tests in test/navmap-server/ that run or read the built navmap-server.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const packageRoot = dirname(createRequire(import.meta.url).resolve('@sdap/navmap-server/package.json'));

/** A file of navmap-server's build (`dist/cli.js`, ...), for tests that run or read the built package. */
export function navMapServerDist(file: string): string {
  return join(packageRoot, 'dist', file);
}
