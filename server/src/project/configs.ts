/** keyshare.json files: found once per folder, read and parsed once, dropped when they change. */
import * as path from 'path';
import { CONFIG_LIMITS, resolveConfigText, type LoadedConfig } from '../workspace/config';
import { findConfigFile, readRegularFile } from './files';

/** `loaded.refused`: read, but past a limit; its problems say so, and it governs no file. */
export type ConfigEntry = { ok: true; loaded: LoadedConfig } | { ok: false; error: string };

/**
 * Reads and parses a keyshare.json; throws only when the file cannot be read (a FIFO or a
 * device is not read: it could block forever). A file past the size limit is read no further
 * than the limit: that beginning, parsed, says it is too large (`refused`).
 */
export function loadConfigFile(file: string): LoadedConfig {
  const read = readRegularFile(file, CONFIG_LIMITS.maxBytes);
  if (!read.ok) throw new Error(read.message);
  return resolveConfigText(read.bytes.toString('utf8'), path.dirname(file));
}

export class ConfigCache {
  private readonly entries = new Map<string, ConfigEntry>();
  private readonly nearestByFolder = new Map<string, string | undefined>();

  /** `explicit`: one keyshare.json for every file (the CLI's --config). */
  constructor(readonly explicit?: string) {}

  /** Forgets one file (or all), and where each folder's nearest one is. */
  invalidate(file?: string): void {
    this.nearestByFolder.clear();
    if (file) this.entries.delete(file);
    else this.entries.clear();
  }

  /** The keyshare.json that governs a file on disk: --config, else the nearest at or above it. */
  nearest(file: string): string | undefined {
    if (this.explicit) return this.explicit;
    const dir = path.dirname(file);
    if (!this.nearestByFolder.has(dir)) this.nearestByFolder.set(dir, findConfigFile(dir));
    return this.nearestByFolder.get(dir);
  }

  entry(file: string): ConfigEntry {
    let entry = this.entries.get(file);
    if (!entry) {
      try {
        entry = { ok: true, loaded: loadConfigFile(file) };
      } catch (error) {
        entry = { ok: false, error: (error as Error).message };
      }
      this.entries.set(file, entry);
    }
    return entry;
  }

  /** The keyshare.json that governs files; undefined when it cannot be read or is past a limit. */
  load(file: string): LoadedConfig | undefined {
    const entry = this.entry(file);
    return entry.ok && !entry.loaded.refused ? entry.loaded : undefined;
  }

  /** Every keyshare.json read so far, in the order first read. */
  get files(): string[] {
    return [...this.entries.keys()];
  }
}
