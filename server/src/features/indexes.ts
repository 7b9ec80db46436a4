/**
 * The server's workspace indexes: built in the background from the workspace folders, updated
 * per file from editor buffers and file-system events, one index per keyshare.json.
 */
import * as path from 'path';
import picomatch from 'picomatch';
import { URI } from 'vscode-uri';
import { sharedCatalog } from '../catalog/iamData';
import type { Finding } from '../engine/types';
import { CONFIG_FILE } from '../workspace/config';
import { readPolicyFile, relativePath, walkJsonFiles } from '../workspace/files';
import { summarize } from '../workspace/handshake';
import { WorkspaceIndex } from '../workspace/index';
import { analyse, type Analysis, type ConfigStore, type ServerSettings } from './analysis';

export class WorkspaceIndexes {
  private readonly indexes = new Map<string, WorkspaceIndex>();
  /** Which index each file is in, so a moved config or a deleted file is found again. */
  private readonly fileIndex = new Map<string, string>();
  private excludeGlobs: string[] = [];
  private excludeMatcher: ((path: string) => boolean) | undefined;

  /** The editor's files.exclude globs (compiled once, not per file). */
  set excludes(globs: string[]) {
    this.excludeGlobs = globs;
    this.excludeMatcher = globs.length ? picomatch(globs, { dot: true }) : undefined;
  }

  get excludes(): string[] {
    return this.excludeGlobs;
  }

  constructor(private readonly configs: ConfigStore) {}

  clear(): void {
    this.indexes.clear();
    this.fileIndex.clear();
  }

  get fileCount(): number {
    return this.fileIndex.size;
  }

  indexFor(uri: string): WorkspaceIndex {
    const config = this.configs.forDocument(uri);
    const key = config?.file ?? '';
    let index = this.indexes.get(key);
    if (!index) {
      const entry = config ? this.configs.get(config.file) : undefined;
      index = new WorkspaceIndex(entry?.resolved.config, entry ? path.dirname(config!.file) : undefined, entry?.text);
      this.indexes.set(key, index);
    }
    return index;
  }

  /** Records a file's latest analysis; returns the other files whose cross-file findings may change. */
  record(analysis: Analysis, quiet = false): string[] {
    const model = analysis.result.model;
    const index = this.indexFor(analysis.uri);
    this.fileIndex.set(analysis.uri, index === this.indexes.get('') ? '' : 'config');
    const summary = model && !analysis.tooLarge ? summarize(analysis.uri, model, analysis.text, sharedCatalog(), analysis.options.keyArn) : undefined;
    return index.update(analysis.uri, summary, quiet);
  }

  forget(uri: string): string[] {
    this.fileIndex.delete(uri);
    return this.indexFor(uri).update(uri, undefined);
  }

  /** Every index's access map (one per keyshare.json). */
  accessMaps() {
    return [...this.indexes.values()].flatMap((index) => index.accessMap());
  }

  findings(uri: string): Finding[] {
    return this.indexFor(uri).findings(uri);
  }

  isExcluded(folder: string, file: string): boolean {
    return this.excludeMatcher ? this.excludeMatcher(relativePath(folder, file)) : false;
  }

  /** Reads one file from disk into the index (for files not open in the editor). */
  loadFromDisk(file: string, settings: ServerSettings, log: (m: string) => void, quiet = false): string[] {
    const uri = URI.file(file).toString();
    if (path.basename(file) === CONFIG_FILE) return [];
    const read = readPolicyFile(file, settings.maxFileSize);
    if (!read.ok) return this.forget(uri);
    // The index needs the model only; findings of closed files come from Validate Workspace.
    const analysis = analyse(uri, 0, read.text, settings, this.configs, log, true);
    if (!analysis.result.isPolicy) return this.forget(uri);
    return this.record(analysis, quiet);
  }

  /** Indexes every policy file under the folders, yielding to the event loop between batches. */
  async build(folders: string[], settings: ServerSettings, isOpen: (uri: string) => boolean, log: (m: string) => void, progress?: (done: number, total: number) => void): Promise<number> {
    const files: string[] = [];
    for (const folder of folders) {
      for (const file of walkJsonFiles(folder)) if (!this.isExcluded(folder, file)) files.push(file);
    }
    let done = 0;
    for (const file of files) {
      if (!isOpen(URI.file(file).toString())) this.loadFromDisk(file, settings, log, true);
      done++;
      if (done % 100 === 0) {
        progress?.(done, files.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    progress?.(files.length, files.length);
    return files.length;
  }
}
