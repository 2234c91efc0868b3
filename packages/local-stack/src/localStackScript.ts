import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built `npm start` program (dist/runLocalStack.js), for running the stack in its own process. */
export const LOCAL_STACK_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'runLocalStack.js');
