/**
 * The editor's settings for the language server: pulled per scope (`workspace/configuration` with
 * a `scopeUri`, as vscode-eslint does), pushed as a fallback by clients that cannot be asked, and
 * forgotten together when they change. A generation counter keeps an answer to an old pull from
 * being cached after a change.
 */
import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../project';

export class SettingsStore {
  /** Pushed settings, or pulled without a scope: for the index and closed files. */
  private window: Settings = DEFAULT_SETTINGS;
  /** Pulled per scope (a document, or the workspace folder of a closed file). */
  private readonly scoped = new Map<string, Settings>();
  private readonly pending = new Map<string, Promise<Settings>>();
  private generation = 0;
  /** Whether the client answers `workspace/configuration`. */
  canPull = false;
  /** Glob patterns of `files.exclude` that are on, from the last window-wide pull. */
  excludes: string[] = [];

  constructor(private readonly connection: Connection) {}

  /** Settings for the whole window (the index, and scopes not yet pulled). */
  get windowSettings(): Settings {
    return this.window;
  }

  /** The settings a document was last checked with (a read, for hover and the like). */
  settingsOf(uri: string): Settings {
    return this.scoped.get(uri) ?? this.window;
  }

  /** The settings for a scope: pulled once per scope, else the pushed ones. */
  settingsFor(scope: string): Promise<Settings> {
    if (!this.canPull) return Promise.resolve(this.window);
    const known = this.scoped.get(scope);
    if (known) return Promise.resolve(known);
    let pending = this.pending.get(scope);
    if (!pending) {
      const generation = this.generation;
      pending = this.connection.workspace.getConfiguration([{ scopeUri: scope, section: 'keyshare' }]).then(
        ([section]) => parseSettings(section),
        () => this.window,
      ).then((settings) => {
        if (generation === this.generation) {
          this.scoped.set(scope, settings);
          this.pending.delete(scope);
        }
        return settings;
      });
      this.pending.set(scope, pending);
    }
    return pending;
  }

  /** Window-wide settings and files.exclude (pull clients); per-scope settings are pulled on use. */
  async pullWindow(): Promise<void> {
    if (!this.canPull) return;
    const [value = {}, excludes = {}] = (await this.connection.workspace.getConfiguration([{ section: 'keyshare' }, { section: 'files.exclude' }])) ?? [];
    this.excludes = Object.entries(excludes ?? {}).filter(([, on]) => on === true).map(([glob]) => glob);
    this.window = parseSettings(value);
  }

  /** Settings a client pushed with didChangeConfiguration (`{ keyshare: {...} }`). */
  pushed(settings: unknown): void {
    if (settings && typeof settings === 'object' && 'keyshare' in settings) this.window = parseSettings((settings as { keyshare?: unknown }).keyshare);
  }

  /** After a change: every scope is pulled again on its next use. */
  forgetScopes(): void {
    this.generation++;
    this.scoped.clear();
    this.pending.clear();
  }

  /** A closed document's scope is pulled again if it opens again. */
  forget(uri: string): void {
    this.scoped.delete(uri);
  }
}
