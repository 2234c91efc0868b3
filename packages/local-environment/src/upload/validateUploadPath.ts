/** Why an upload path was refused, in the words the BFF uses. */
export class UploadPathError extends Error {
  override readonly name = 'UploadPathError' as const;
}

/** Longest path the BFF accepts. */
export const MAX_UPLOAD_PATH_LENGTH = 1024;

/**
 * The BFF's path rules: not empty, no trailing `/`, no `..` segment, no control characters, at most 1024
 * characters. Returns the path's segments.
 *
 * @example
 * validateUploadPath('reports/2026/A.pdf'); // ['reports', '2026', 'A.pdf']
 * validateUploadPath('../etc/passwd');      // throws UploadPathError
 */
export function validateUploadPath(path: string): string[] {
  if (path.length === 0) throw new UploadPathError('The file path is empty.');
  if (path.length > MAX_UPLOAD_PATH_LENGTH) {
    throw new UploadPathError(`The file path is ${path.length} characters long; at most ${MAX_UPLOAD_PATH_LENGTH} are allowed.`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) throw new UploadPathError('The file path contains control characters.');
  if (path.endsWith('/')) throw new UploadPathError('The file path ends with "/"; it must name a file.');
  if (path.includes('\\')) throw new UploadPathError('The file path contains "\\"; use "/" between folders.');
  const segments = path.replace(/^\/+/, '').split('/');
  if (segments.some((segment) => segment === '..')) throw new UploadPathError('The file path contains a ".." segment.');
  if (segments.some((segment) => segment === '' || segment === '.')) throw new UploadPathError('The file path contains an empty or "." segment.');
  return segments;
}
