/**
 * Text with no line breaks, for a line of the report or a Markdown table cell: errors of the Azure SDK (a credential
 * chain's, a service's) span several lines, and a line break ends a table row.
 *
 * @example
 * oneLine('ChainedTokenCredential authentication failed.\nCredentialUnavailableError: ...'); // 'ChainedTokenCredential authentication failed. CredentialUnavailableError: ...'
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
