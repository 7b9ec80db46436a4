/** keyshare.json files: found once per folder, read and parsed once, dropped when they change. */
import * as fs from 'fs';
import * as path from 'path';
import { resolveConfigText, type LoadedConfig } from '../workspace/config';
import { findConfigFile } from './files';

export type ConfigEntry = { ok: true; loaded: LoadedConfig } | { ok: false; error: string };

/** Reads and parses a keyshare.json; throws only when the file cannot be read. */
export function loadConfigFile(file: string): LoadedConfig {
  return resolveConfigText(fs.readFileSync(file, 'utf8'), path.dirname(file));
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

  load(file: string): LoadedConfig | undefined {
    const entry = this.entry(file);
    return entry.ok ? entry.loaded : undefined;
  }

  /** Every keyshare.json read so far, in the order first read. */
  get files(): string[] {
    return [...this.entries.keys()];
  }
}
