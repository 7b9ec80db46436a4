/** The project layer: what the language server and the CLI share (see project.ts). */
export { analyseText, applySeverities, type CheckResult } from './analyse';
export { ConfigCache, loadConfigFile } from './configs';
export { fileOf, INVALID_UTF8_MESSAGE, isConfigFile, isJsonText, Project, type Analysis, type AnalyseOptions } from './project';
export { DEFAULT_SETTINGS, parseSettings, type Settings } from './settings';
export { classify, describeSummary, summarizeChecks, Tally, type CheckSummary, type FileClass } from './summary';
