import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A relative Markdown link whose target does not exist. */
export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly reason: string;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCode(markdown, { keepInlineCode: true }).split('\n')) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = headingSlug(heading[1] as string);
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

/** Blanks fenced code blocks and inline code, keeping line numbers, so examples are not read as links. */
function withoutCode(markdown: string, { keepInlineCode = false } = {}): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(`{3,}|~{3,})/.test(line)) {
        inFence = !inFence;
        return '';
      }
      if (inFence) return '';
      return keepInlineCode ? line : line.replace(/`[^`]*`/g, '');
    })
    .join('\n');
}

const INLINE_LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_DEFINITION = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/;

/**
 * The relative links of a Markdown file (inline `[text](target)`, images, and `[label]: target` definitions) whose
 * file does not exist, or whose `#anchor` names no heading of a Markdown target. External links (`https:`, `mailto:`)
 * are not fetched.
 *
 * @example
 * findBrokenLinks('/repo/docs/architecture.md'); // [] when every relative link resolves
 */
export function findBrokenLinks(file: string): BrokenLink[] {
  const text = withoutCode(readFileSync(file, 'utf8'));
  const broken: BrokenLink[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    const targets = [...line.matchAll(INLINE_LINK)].map((match) => match[1] as string);
    const definition = REFERENCE_DEFINITION.exec(line);
    if (definition) targets.push(definition[1] as string);
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [pathPart = '', anchor] = target.split('#', 2);
      const path = decodeURIComponent(pathPart);
      const resolved = path === '' ? file : resolve(dirname(file), path);
      if (!existsSync(resolved)) {
        broken.push({ file, line: index + 1, target, reason: `${resolved} does not exist` });
        continue;
      }
      if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile()) {
        if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor.toLowerCase())) {
          broken.push({ file, line: index + 1, target, reason: `no heading with anchor #${anchor} in ${resolved}` });
        }
      }
    }
  }
  return broken;
}
