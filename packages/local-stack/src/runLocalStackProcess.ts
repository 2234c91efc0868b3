import { spawn } from 'node:child_process';
import { LOCAL_STACK_SCRIPT } from './localStackScript.js';

/** The line the stack's program prints once every server listens. */
const READY_LINE = 'Press Ctrl-C to stop.';

export interface LocalStackProcessOptions {
  /** Environment variables for the process (added to this process's own unless `inheritEnv` is false). */
  readonly env?: Readonly<Record<string, string>>;
  /** Whether the process starts from this process's environment; false gives it only `env`. Default true. */
  readonly inheritEnv?: boolean;
  /** The program to run: the built stack (default), or `scripts/start.mjs`, which builds first as `npm start` does. */
  readonly script?: string;
  readonly cwd?: string;
  /** How long to wait for the ready line before stopping the process and failing. Default 60 s. */
  readonly startTimeoutMs?: number;
  /** Called with everything the process prints (e.g. to keep a log file). */
  readonly onOutput?: (chunk: Buffer) => void;
}

export interface LocalStackProcess {
  /** Everything the process printed so far. */
  readonly output: string;
  /** The rest of the first line that starts with `label`, trimmed. */
  line(label: string): string;
  /** The first URL on the line that starts with `label`. */
  url(label: string): string;
  /** SIGTERM, then SIGKILL if the process has not exited within 20 s. */
  stop(): Promise<void>;
}

/**
 * Runs the local stack as `npm start` does, in its own Node process, and resolves once it printed that it is ready
 * (its output then names every URL and credential). Rejects with the output's tail if the process exits first or does
 * not become ready in time; the caller stops it otherwise.
 */
export async function runLocalStackProcess(options: LocalStackProcessOptions = {}): Promise<LocalStackProcess> {
  const { env = {}, inheritEnv = true, script = LOCAL_STACK_SCRIPT, startTimeoutMs = 60_000, onOutput } = options;
  const child = spawn(process.execPath, [script], {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: inheritEnv ? { ...process.env, ...env } : { ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tail = () => output.slice(-3000);

  async function stop(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The local stack did not start within ${startTimeoutMs / 1000} s:\n${tail()}`)), startTimeoutMs);
      const read = (chunk: Buffer) => {
        onOutput?.(chunk);
        output += chunk.toString();
        if (output.includes(READY_LINE)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`The local stack exited with ${code ?? signal} before it was ready:\n${tail()}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }

  function line(label: string): string {
    const found = output.split('\n').find((text) => text.trimStart().startsWith(label));
    if (found === undefined) throw new Error(`The local stack printed no "${label}" line:\n${tail()}`);
    return found.trimStart().slice(label.length).trim();
  }

  return {
    get output() {
      return output;
    },
    line,
    url(label) {
      const url = /https?:\/\/\S+/.exec(line(label))?.[0];
      if (!url) throw new Error(`The local stack's "${label}" line has no URL:\n${tail()}`);
      return url;
    },
    stop,
  };
}
