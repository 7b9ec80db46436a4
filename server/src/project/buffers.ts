/**
 * The hosts' memory of the editor buffers a project checks: per host, the store it keeps between
 * versions of a buffer (the last YAML tree, the last syntax tree), so that an edit re-reads only
 * what it changed. Owned by the project, dropped buffer by buffer when an editor closes.
 */
import type { BufferMemory, BufferStore } from '../engine/types';

export class EditorBuffers implements BufferMemory {
  private readonly stores = new Map<string, BufferStore>();

  of<T extends BufferStore>(host: string, create: () => T): T {
    let store = this.stores.get(host);
    if (!store) this.stores.set(host, (store = create()));
    return store as T;
  }

  /** A buffer closed: what every host kept of it goes. */
  forget(fileName: string): void {
    for (const store of this.stores.values()) store.forget(fileName);
  }
}
