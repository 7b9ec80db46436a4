/**
 * Editor settings (`keyshare.*`): one parser for both ways a client sends them, pulled
 * (workspace/configuration, per document through scopeUri) or pushed (didChangeConfiguration).
 */
import type { SeveritySetting } from '../engine/types';

export interface Settings {
  /** Severity per rule id, over keyshare.json's own `rules`. */
  rules: Record<string, SeveritySetting>;
  /** Texts longer than this (characters) are not analysed. */
  maxFileSize: number;
}

export const DEFAULT_MAX_FILE_SIZE_MB = 5;
export const DEFAULT_SETTINGS: Settings = Object.freeze({ rules: Object.freeze({}) as Record<string, SeveritySetting>, maxFileSize: DEFAULT_MAX_FILE_SIZE_MB * 1024 * 1024 });

const SEVERITIES = new Set<string>(['off', 'error', 'warning', 'info', 'hint']);

/** The `keyshare` section as a client sends it (either path); anything unusable keeps its default. */
export function parseSettings(section: unknown): Settings {
  const value = (typeof section === 'object' && section !== null ? section : {}) as { rules?: unknown; maxFileSizeMB?: unknown };
  const rules: Record<string, SeveritySetting> = {};
  if (typeof value.rules === 'object' && value.rules !== null && !Array.isArray(value.rules)) {
    for (const [id, setting] of Object.entries(value.rules as Record<string, unknown>)) {
      if (typeof setting === 'string' && SEVERITIES.has(setting)) rules[id] = setting as SeveritySetting;
    }
  }
  const mb = value.maxFileSizeMB;
  const maxFileSize = typeof mb === 'number' && Number.isFinite(mb) && mb > 0 ? Math.round(mb * 1024 * 1024) : DEFAULT_SETTINGS.maxFileSize;
  return { rules, maxFileSize };
}
