import { parseArgs } from 'node:util';

/** The CLI's arguments: a command and `--config`, `--out`, `--help`, `--version`. Throws on an unknown option. */
export function parseCliArguments(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
}
