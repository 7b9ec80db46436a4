/** Public surface of the engine: pure analysis, no LSP, VS Code or I/O. */
export * from './types';
export * from './text';
export * from './catalog';
export * from './arn';
export * from './model';
export * from './tree';
export { checkPolicies, ALL_RULES, type CheckResult, type EngineHooks } from './check';
export { REPOSITORY_URL, RULE_DOCS_URL, RULES, ruleInfo, type RuleInfo } from './ruleSupport/registry';
export { applySeverities } from './check';
