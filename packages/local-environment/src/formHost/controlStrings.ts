import { xml } from '../solutions/readSolutionPackage.js';
import type { ImportedControl } from '../solutions/readSolutionPackage.js';

/**
 * A control's strings in a language, from the manifest's resx for that language code (`strings/X.1033.resx`): what
 * `context.resources.getString(key)` answers.
 */
export function controlStrings(control: Pick<ImportedControl, 'files' | 'resx'>, languageCode: number): Record<string, string> {
  const path = control.resx.find((candidate) => candidate.includes(`.${languageCode}.`)) ?? control.resx[0];
  const file = path === undefined ? undefined : control.files.get(path);
  if (file === undefined) return {};
  const parsed = xml.parse(new TextDecoder().decode(file)) as { root?: { data?: { '@name'?: string; value?: unknown }[] } };
  return Object.fromEntries((parsed.root?.data ?? []).map((entry) => [String(entry['@name'] ?? ''), typeof entry.value === 'string' ? entry.value : '']));
}
