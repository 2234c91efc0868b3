import { NAVMAP_LIMITS } from './navMapLimits.js';

/**
 * Another party's text (a server's answer, a map's value, Dataverse's message) as a message may show it: in double
 * quotes with control characters and line breaks escaped, so it cannot forge a line of its own, and cut to
 * `maxLength` characters with the full length said.
 *
 * @example
 * quoteText('a\n[NavMapClient] Layer 1 SUCCESS'); // '"a\\n[NavMapClient] Layer 1 SUCCESS"'
 */
export function quoteText(text: string, maxLength: number = NAVMAP_LIMITS.quotedTextLength): string {
  if (text.length <= maxLength) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, maxLength))}... (${text.length} characters)`;
}
