/** Finding and reading files on disk: the only file-system reads of policies (the project layer and its drivers use them). */
import * as fs from 'fs';
import * as path from 'path';
import { hostOfFile, isHostFile as isHostFileName, needsGrammar as hostNeedsGrammar } from '../hosts';

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

/** A size as people read it: `5 MB`, `6.1 MB`, `3 KB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}

export function readPolicyFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): ReadResult {
  let fd: number | undefined;
  try {
    const opened = openRegularFile(file);
    if (opened.fd === undefined) return { ok: false, reason: 'unreadable', message: opened.message };
    fd = opened.fd;
    const bytes = opened.size > maxBytes ? undefined : readUpTo(fd, maxBytes, opened.size);
    if (!bytes) return { ok: false, reason: 'too-large', message: `larger than ${formatSize(maxBytes)}, not checked` };
    return decodeBytes(bytes);
  } catch (error) {
    return { ok: false, reason: 'unreadable', message: ioMessage(error) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    if (readBuffer.length > 1024 * 1024) readBuffer = Buffer.allocUnsafe(64 * 1024); // a large file's buffer is not kept
  }
}

/** Why a file that is not a regular file is not read: a FIFO or a device could block forever or never end. */
export function notRegularMessage(stat: fs.Stats): string {
  if (stat.isDirectory()) return ioMessage({ code: 'EISDIR' });
  const kind = stat.isFIFO() ? 'a FIFO' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isSocket() ? 'a socket' : 'not a file';
  return `${kind}, not a regular file: not read`;
}

// Opening a FIFO for reading waits for a writer, and a terminal may become the controlling one:
// files are opened without either, and only a regular file is read.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/** An open descriptor of `file` and its size when it is a regular file (after links); else (closed) why it is not read. Throws what open throws. */
function openRegularFile(file: string): { fd: number; size: number } | { fd?: undefined; message: string } {
  const fd = fs.openSync(file, OPEN_FLAGS);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.fstatSync(fd);
  } finally {
    if (!stat?.isFile()) fs.closeSync(fd);
  }
  return stat!.isFile() ? { fd, size: stat!.size } : { message: notRegularMessage(stat!) };
}

/**
 * At most `maxBytes` + 1 bytes of a regular file (a FIFO, device or socket is not read: it could
 * block forever or never end); `complete` false when the file holds more than `maxBytes`.
 */
export function readRegularFile(file: string, maxBytes: number): { ok: true; bytes: Buffer; complete: boolean } | { ok: false; message: string } {
  let fd: number | undefined;
  try {
    const opened = openRegularFile(file);
    if (opened.fd === undefined) return { ok: false, message: opened.message };
    fd = opened.fd;
    // A file larger than the limit gives its first bytes only. /proc files say 0 and hold more:
    // the size is where reading starts, the limit where it stops.
    let bytes = Buffer.allocUnsafe(Math.min(Math.max(opened.size + 1, 64 * 1024), maxBytes + 1));
    let length = 0;
    for (;;) {
      if (length === bytes.length) {
        if (length > maxBytes) return { ok: true, bytes, complete: false };
        const larger = Buffer.allocUnsafe(Math.min(bytes.length * 2, maxBytes + 1));
        bytes.copy(larger, 0, 0, length);
        bytes = larger;
      }
      const read = fs.readSync(fd, bytes, length, bytes.length - length, null);
      if (read === 0) return { ok: true, bytes: bytes.subarray(0, length), complete: true };
      length += read;
    }
  } catch (error) {
    return { ok: false, message: ioMessage(error) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * A file keyshare.json names (`keys[].policy`, `principals[].policies`, an `expect` key), as an
 * absolute path, when it may be read: a regular file inside `folder` (the keyshare.json's), also
 * after links. Otherwise why it is not read. A keyshare.json may come from a stranger's pull
 * request: it must not make Keyshare open the runner's files, or wait on a FIFO or a device.
 */
export function projectFile(folder: string, written: string): { ok: true; file: string } | { ok: false; message: string } {
  const refused = (why: string) => ({ ok: false as const, message: `${why}: Keyshare reads only regular files inside the folder of keyshare.json (no setting allows others), so it is not read` });
  if (path.isAbsolute(written) || path.win32.isAbsolute(written)) return refused('an absolute path');
  const file = path.resolve(folder, written.split('\\').join('/'));
  if (!isInside(folder, file)) return refused('a path that leaves the folder of keyshare.json');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file); // after links; a FIFO is not opened
  } catch (error) {
    return { ok: false, message: ioMessage(error) };
  }
  let real: string | undefined;
  try {
    real = fs.realpathSync(file);
  } catch {
    // a link to what has no path (/dev/stdin: /proc/self/fd/0, a pipe): outside, below
  }
  let realFolder = folder;
  try {
    realFolder = fs.realpathSync(folder);
  } catch {
    // the folder itself is gone: the link test below compares with it as written
  }
  if (real === undefined || !isInside(realFolder, real)) return refused('a link to a file outside the folder of keyshare.json');
  if (!stat.isFile()) return { ok: false, message: notRegularMessage(stat) };
  return { ok: true, file };
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..' + path.sep) && relative !== '..' && !path.isAbsolute(relative);
}

/**
 * Reads to the end (a file's size is not trusted: /proc files say 0); undefined past maxBytes.
 * `size`: what fstat said. A short read once that much is in means the end: no further call.
 */
function readUpTo(fd: number, maxBytes: number, size: number): Uint8Array | undefined {
  let length = 0;
  for (;;) {
    if (length > maxBytes) return undefined;
    if (length === readBuffer.length) {
      const larger = Buffer.allocUnsafe(readBuffer.length * 2);
      readBuffer.copy(larger, 0, 0, length);
      readBuffer = larger;
    }
    const wanted = readBuffer.length - length;
    const read = fs.readSync(fd, readBuffer, length, wanted, null);
    length += read;
    if (read === 0 || (size > 0 && length >= size && read < wanted)) return length > maxBytes ? undefined : readBuffer.subarray(0, length);
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

/**
 * Whether a file too large to read may hold policies, from its name and its first 64 KB: worth a
 * finding that says it was skipped. A large YAML or JSON file that names no AWS resource type and
 * no Statement is some other file, and stays quiet.
 */
export function mayHoldPolicies(fileName: string, head: string): boolean {
  const host = hostOfFile(fileName)?.id;
  if (host && host !== 'json' && host !== 'cloudformation') return true;
  return /"Statement"\s*:/.test(head) || head.includes('AWSTemplateFormatVersion') || head.includes('AWS::');
}
