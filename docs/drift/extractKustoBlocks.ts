/** A fenced ```kusto (or ```kql) block of a Markdown file. */
export interface KustoBlock {
  readonly query: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/**
 * Every ```kusto / ```kql fenced block of a Markdown text, in order, with the line of its opening fence.
 *
 * @example
 * extractKustoBlocks('text\n```kusto\ncustomEvents | take 1\n```\n'); // [{ query: 'customEvents | take 1\n', line: 2 }]
 */
export function extractKustoBlocks(markdown: string): KustoBlock[] {
  const blocks: KustoBlock[] = [];
  const lines = markdown.split('\n');
  let open: { fence: string; line: number; body: string[] } | undefined;
  for (const [index, line] of lines.entries()) {
    if (open === undefined) {
      const start = /^(\s*)(`{3,}|~{3,})\s*(kusto|kql)\s*$/i.exec(line);
      if (start) open = { fence: start[2] as string, line: index + 1, body: [] };
      continue;
    }
    if (line.trim().startsWith(open.fence) && line.trim().replace(/[`~]/g, '') === '') {
      blocks.push({ query: `${open.body.join('\n')}\n`, line: open.line });
      open = undefined;
    } else {
      open.body.push(line);
    }
  }
  if (open !== undefined) throw new Error(`The kusto block opened at line ${open.line} is never closed.`);
  return blocks;
}
