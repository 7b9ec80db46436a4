/**
 * File paths to URIs and back, as vscode-uri spells them, with a fast path for the common case:
 * a POSIX path of characters that need no escaping. A large check makes several of these per file.
 */
import { URI } from 'vscode-uri';

// The characters vscode-uri leaves as they are in a path (everything else is percent-encoded).
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~/]*$/;
const posix = process.platform !== 'win32';

/** `URI.file(file).toString()`. */
export function fileUri(file: string): string {
  return posix && PLAIN_PATH.test(file) ? 'file://' + file : URI.file(file).toString();
}

/** `URI.parse(uri).fsPath` for a file URI; undefined for other schemes. */
export function uriFile(uri: string): string | undefined {
  if (posix && uri.startsWith('file:///') && PLAIN_PATH.test(uri.slice(7))) return uri.slice(7);
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}
