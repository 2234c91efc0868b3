import { spawn } from 'node:child_process';
import { LOCAL_STACK_SCRIPT } from '@sdap/local-stack';

export interface LocalStackProcess {
  /** Everything the process printed. */
  readonly output: string;
  /** The first URL printed on the line that starts with `label`. */
  url(label: string): string;
  stop(): Promise<void>;
}

/**
 * Runs the local stack as `npm start` does (@sdap/local-stack's built program in its own Node process, free ports), with
 * extra environment variables, and waits until it prints where to upload. The caller stops it.
 */
export async function runLocalStackProcess(env: Readonly<Record<string, string>>): Promise<LocalStackProcess> {
  const child = spawn(process.execPath, [LOCAL_STACK_SCRIPT], {
    env: { ...process.env, NAVMAP_LOCAL_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The local stack did not start within 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The local stack exited with ${code}:\n${output}`));
    });
  });
  return {
    get output() {
      return output;
    },
    url(label) {
      const line = output.split('\n').find((text) => text.trimStart().startsWith(label));
      const url = /https?:\/\/\S+/.exec(line ?? '')?.[0];
      if (!url) throw new Error(`The local stack printed no "${label}" URL:\n${output}`);
      return url;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
