/** Finding and reading files on disk: the only file-system reads of policies (the project layer and its drivers use them). */
import * as fs from 'fs';
import * as path from 'path';
import { isHostFile as isHostFileName, needsGrammar as hostNeedsGrammar } from '../hosts';

/** Dependency, VCS and tool folders. `cdk.out` is read: its templates are CloudFormation. */
export const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'out', '.vscode-test', '.terraform']);
/** Files named like this are meant to be policies; other .json files only when their content is one. */
export const POLICY_FILE_PATTERN = /\.(policy|key-policy|iam)\.json$/i;
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Files of a host that may carry policies (the hosts' registry says which). */
export function isHostFile(file: string): boolean {
  return isHostFileName(file);
}

/** Whether reading the file needs a parser loaded first (Terraform's grammar). */
export function needsGrammar(file: string): boolean {
  return hostNeedsGrammar(file);
}

export function isNamedPolicyFile(file: string): boolean {
  return POLICY_FILE_PATTERN.test(file);
}

/** The files of every host below `root` (or `root` itself), skipping dependency and VCS folders; a folder that cannot be read goes to `onError`. */
export function* walkHostFiles(root: string, onError?: (dir: string, error: unknown) => void): Generator<string> {
  const stat = fs.statSync(root);
  if (stat.isFile()) {
    yield root;
    return;
  }
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      onError?.(dir, error);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirectories: string[] = [];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) subdirectories.push(full);
      } else if (entry.isFile() && isHostFile(entry.name)) {
        yield full;
      }
    }
    pending.push(...subdirectories.reverse());
  }
}

export type ReadResult = { ok: true; text: string; invalidUtf8: boolean } | { ok: false; reason: 'binary' | 'too-large' | 'unreadable'; message: string };

const decoder = new TextDecoder('utf-8', { fatal: false });
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes file bytes: binary content is refused, invalid UTF-8 is decoded with U+FFFD and flagged. */
export function decodeBytes(bytes: Uint8Array): ReadResult {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return { ok: false, reason: 'binary', message: 'binary file' };
  let invalidUtf8 = false;
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    invalidUtf8 = true;
    text = decoder.decode(bytes);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text, invalidUtf8 };
}

/** An I/O error in one line, without the absolute path Node puts in its messages. */
export function ioMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'EPERM': return 'operation not permitted';
    case 'EIO': return 'input/output error';
    case 'ELOOP': return 'too many levels of symbolic links';
    case 'ENOTDIR': return 'not a directory';
    case 'EISDIR': return 'is a directory';
    default: return code ? `cannot read (${code})` : `cannot read (${String((error as Error).message ?? error).split('\n')[0]})`;
  }
}

/** Reused for every read: the bytes are decoded into a string before the next one. */
let readBuffer = Buffer.allocUnsafe(64 * 1024);

export function readPolicyFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): ReadResult {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const bytes = readUpTo(fd, maxBytes);
    if (!bytes) return { ok: false, reason: 'too-large', message: `larger than ${Math.round(maxBytes / 1024 / 1024)} MB, not checked` };
    return decodeBytes(bytes);
  } catch (error) {
    return { ok: false, reason: 'unreadable', message: ioMessage(error) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    if (readBuffer.length > 1024 * 1024) readBuffer = Buffer.allocUnsafe(64 * 1024); // a large file's buffer is not kept
  }
}

/** Reads to the end without asking the size first (one system call less per file); undefined past maxBytes. */
function readUpTo(fd: number, maxBytes: number): Uint8Array | undefined {
  let length = 0;
  for (;;) {
    if (length > maxBytes) return undefined;
    if (length === readBuffer.length) {
      const larger = Buffer.allocUnsafe(readBuffer.length * 2);
      readBuffer.copy(larger, 0, 0, length);
      readBuffer = larger;
    }
    const read = fs.readSync(fd, readBuffer, length, readBuffer.length - length, null);
    if (read === 0) return readBuffer.subarray(0, length);
    length += read;
  }
}

/**
 * `file` relative to the folder `base`, with '/' separators. Both are absolute and normalized
 * (as the walk makes them), so a file inside is one slice; path.relative is the fallback.
 */
export function relativePath(base: string, file: string): string {
  const inside = base.endsWith(path.sep) ? base : base + path.sep;
  const relative = file.startsWith(inside) ? file.slice(inside.length) : path.relative(base, file);
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

/** The nearest keyshare.json at or above `start`. */
export function findConfigFile(start: string, name = 'keyshare.json'): string | undefined {
  let dir = path.resolve(start);
  try {
    if (fs.statSync(dir).isFile()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
