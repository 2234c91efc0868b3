const HEADER = /^\|\s*Status\s*\|\s*Code\s*\|\s*When\s*\|\s*$/;

/**
 * Reads the Markdown table whose header is `| Status | Code | When |`: for each row, the code (the code span of the
 * second cell) and its status (the number in the first cell).
 *
 * @throws {Error} when the file has no such table, or a row has no status or no code.
 * @example
 * readStatusCodeTable(markdown); // { unsupported_version: 400, unauthorized: 401, ... }
 */
export function readStatusCodeTable(markdown: string): Record<string, number> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => HEADER.test(line));
  if (start === -1) throw new Error('No table with the header | Status | Code | When |.');
  const table: Record<string, number> = {};
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [status, code] = line.split('|').slice(1).map((cell) => cell.trim());
    const name = /^`([a-z_]+)`$/.exec(code ?? '')?.[1];
    if (!/^\d{3}$/.test(status ?? '') || name === undefined) throw new Error(`Not a status and a code: ${line}`);
    table[name] = Number(status);
  }
  return table;
}
