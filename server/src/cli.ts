/** The `keyshare` command: `check` for CI and pre-commit, `lsp --stdio` for any LSP editor, `rules` to list the rules. */
import * as path from 'path';
import { runCheck } from './cli/check';
import { formatExplainJson, formatExplainText, runExplain } from './cli/explain';
import { atOrAbove, formatGithub, formatGitlab, formatJunit } from './cli/formats';
import { formatJson, formatSarif, formatText } from './cli/output';
import { formatRulesJson, formatRulesText, listRules } from './cli/rules';
import { ruleSelector, unmatchedGlob } from './cli/select';
import { checkSummaryLine } from './cli/summary';
import { BaselineError, readBaseline, withoutBaseline, writeBaseline } from './cli/baseline';
import { ParametersError, readParameters } from './cli/parameters';
import { readVarFiles, VariablesError } from './cli/variables';
import type { Report } from './cli/output';
import type { Severity, VariableValue } from './engine/types';
import { SERVER_EXEC_ARGV } from './protocol';

declare const KEYSHARE_VERSION: string | undefined;
const VERSION = typeof KEYSHARE_VERSION === 'string' ? KEYSHARE_VERSION : '0.0.0-dev';

const HELP = `keyshare ${VERSION}: checks AWS KMS key policies and the IAM policies that use keys across accounts.

Usage:
  keyshare check [paths...] [options]   check policy files (folders are walked; default: .)
  keyshare explain --principal <arn> --action <action> --key <key> [options] [paths...]
                                        can this principal call this action on this key, and why
  keyshare rules [--format text|json]   list the rules: default severity and the IAM Access
                                        Analyzer checks each follows
  keyshare lsp --stdio                  run the language server over stdio (for any LSP editor)
  keyshare --help | --version

Options for check:
  --format text|json|sarif|junit|github|gitlab
                             output format (default: text)
  --config <file>            use this keyshare.json instead of the nearest one above each file
  --rule <glob>              report only the rules whose id matches (repeatable)
  --skip-rule <glob>         do not report the rules whose id matches (repeatable)
  --fail-on error|warning|info
                             exit 1 on any finding at or above this severity (default: error)
  --quiet                    report only what fails the check (errors, unless
                             --fail-on or --max-warnings says more)
  --max-warnings <n>         exit 1 when there are more than n warnings
  --show-suppressed          also report what suppressions hide, marked suppressed
  --baseline <file>          report and fail on only the findings that file does not hold
  --parameters <file>        CloudFormation parameter values (repeatable; check and explain)
  --var-file <file>          Terraform variable values, .tfvars or .tfvars.json (repeatable)
  --max-file-size <MB>       check files up to this size (default 5)
  --write-baseline <file>    write the current findings to that file as the accepted baseline

Exit codes: 0 no errors, 1 errors found (or too many warnings), 2 usage or I/O error.
Run keyshare <command> --help for one command.
`;

const CHECK_HELP = `Usage: keyshare check [paths...] [options]

Checks policy files as the editor does, with the findings across files (a key policy and the
IAM policies that use the key). Folders are walked (node_modules, .git, .hg, .svn, .terraform,
out and .vscode-test are skipped; cdk.out is read); files that hold no policy are counted and
left alone. Default path: the current folder.

Options:
  --format text|json|sarif|junit|github|gitlab
                             output format (default: text); json is one array of
                             {file, ruleId, severity, message, range}, sarif is SARIF 2.1.0,
                             junit is JUnit XML (a testsuite per file, a failure per finding
                             at or above --fail-on), github is workflow commands (::error,
                             ::warning, ::notice annotations), gitlab is GitLab code quality JSON
  --config <file>            use this keyshare.json instead of the nearest one above each file
  --rule <glob>              report only the rules whose id matches, e.g. 'kms-*' (repeatable)
  --skip-rule <glob>         do not report the rules whose id matches (repeatable)
  --fail-on error|warning|info
                             exit 1 on any finding at or above this severity (default: error)
  --quiet                    report only what fails the check (errors, unless
                             --fail-on or --max-warnings says more)
  --max-warnings <n>         exit 1 when there are more than n warnings
  --show-suppressed          also report the findings that suppressions hide (keyshare.json
                             "ignore" entries, # keyshare:ignore comments, CloudFormation
                             Metadata), marked suppressed with their reason (they never fail
                             the check and are not in the counts)
  --baseline <file>          report, count and fail on only the findings the baseline does
                             not hold (matched by rule, file, policy and message, not by line)
  --write-baseline <file>    write the findings of this run to <file> as the baseline, exit 0
  --parameters <file>        CloudFormation parameter values, in the AWS CLI's form
                             ([{"ParameterKey": ..., "ParameterValue": ...}]) or a template
                             configuration file's ({"Parameters": {...}}); repeatable, a later
                             file wins. A Ref or \${Name} of a declared parameter is then its
                             value (not of a list or a Systems Manager parameter)
  --var-file <file>          Terraform input variable values, as terraform -var-file takes
                             them (.tfvars, or .tfvars.json); repeatable, a later file wins.
                             var.name is then its value
  --max-file-size <MB>       files larger than this are not checked, with a note (default 5,
                             as the editor's keyshare.maxFileSizeMB setting)
  -h, --help                 print this help

The text summary goes to stderr: errors, warnings, infos and hints, and how many files were
policies, statement fragments, templates, or not policies.

All paths are printed relative to the current folder.

Exit codes: 0 no errors, 1 errors found (or too many warnings, or findings at or above
--fail-on), 2 usage or I/O error, such as a path that cannot be read, a binary file named, or
a file over --max-file-size that is named or may hold policies (one line each on stderr; the
other files are still checked).
`;

const LSP_HELP = `Usage: keyshare lsp --stdio

Runs the Keyshare language server over stdin and stdout, for any LSP editor (Neovim, Helix,
Emacs, Zed): the same server the VS Code extension starts.
`;

const EXPLAIN_HELP = `Usage: keyshare explain --principal <arn> --action <action> --key <key> [options] [paths...]

Answers whether a principal can call a KMS action on a key, from the policies under the nearest
keyshare.json (or the paths given): allowed, denied, or depends (on request facts, or on the
principal's identity policies, which it names). It follows IAM's evaluation for KMS: an explicit
Deny first; then the key policy, which allows the principal itself or hands the decision to its
account's IAM policies through the account's root; a principal of another account needs both.
It prints the statements of both halves that decide the answer.

Options:
  --principal <arn>          a role, user or account root ARN, or a service principal
  --action <action>          a KMS action, wildcards allowed (kms:Decrypt, kms:Generate*)
  --key <key>                a key ARN, an alias of keyshare.json's keys, or a key policy
                             reference (security/keys/data.json, security/stack.yaml#DataKey)
  --policy <file>            an identity policy of the principal (repeatable; a template's
                             as stack.yaml#AppPolicy); default: the principal's
                             "policies" in keyshare.json "principals"
  --context <key=value>      a request fact for conditions (repeatable), e.g.
                             kms:ViaService=s3.us-east-1.amazonaws.com; the
                             kms:EncryptionContext:<key>=<value> pairs given are
                             the request's whole encryption context
  --format text|json         output format (default: text); json is one object
                             {verdict, principal, action, key, summary, because: [{file, range,
                             policy, effect, sid}], depends: [...]}
  --parameters <file>        CloudFormation parameter values (repeatable), as for check
  --var-file <file>          Terraform variable values (repeatable), as for check
  --config <file>            use this keyshare.json instead of the nearest one
  -h, --help                 print this help

Exit codes: 0 whatever the verdict, 2 usage or I/O error.
`;

const RULES_HELP = `Usage: keyshare rules [--format text|json]

Lists every rule, one per line: its id, its default severity and the IAM Access Analyzer policy
checks it follows (the issue codes of ValidatePolicy findings), for mapping Access Analyzer's
findings to Keyshare's.

Options:
  --format text|json         output format (default: text); json is one array of
                             {id, severity, awsChecks: [issue codes]}
  -h, --help                 print this help

Exit codes: 0 listed, 2 usage error.
`;

const COMMAND_HELP: Record<string, string> = { check: CHECK_HELP, explain: EXPLAIN_HELP, rules: RULES_HELP, lsp: LSP_HELP };
const wantsHelp = (args: string[]) => args.includes('--help') || args.includes('-h');

class UsageError extends Error {}

const CHECK_FORMATS = ['text', 'json', 'sarif', 'junit', 'github', 'gitlab'] as const;
type CheckFormat = (typeof CHECK_FORMATS)[number];
const FAIL_LEVELS = ['error', 'warning', 'info'] as const;

interface CheckFlags {
  paths: string[];
  format: CheckFormat;
  config?: string;
  rules: string[];
  skipRules: string[];
  failOn: Severity;
  quiet: boolean;
  maxWarnings?: number;
  showSuppressed: boolean;
  baseline?: string;
  writeBaseline?: string;
  parameters: string[];
  varFiles: string[];
  maxFileSizeMb?: number;
}

/**
 * Walks a command's arguments: each option (`--name value` or `--name=value`) goes to `option`,
 * which takes its value through `value()` and returns false for an option it does not know; any
 * other argument is a path.
 */
function walkArguments(args: string[], option: (name: string, value: () => string) => boolean, path: (arg: string) => void): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (!name.startsWith('-')) path(arg);
    else if (!option(name, value)) throw new UsageError(`unknown option ${name}`);
  }
}

function parseCheckFlags(args: string[]): CheckFlags {
  const flags: CheckFlags = { paths: [], format: 'text', rules: [], skipRules: [], failOn: 'error', quiet: false, showSuppressed: false, parameters: [], varFiles: [] };
  const option = (name: string, value: () => string): boolean => {
    switch (name) {
      case '--format': {
        const format = value();
        if (!(CHECK_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be text, json, sarif, junit, github or gitlab, not "${format}"`);
        flags.format = format as CheckFormat;
        break;
      }
      case '--rule':
      case '--skip-rule': {
        const glob = value();
        if (unmatchedGlob([glob])) throw new UsageError(`${name} ${glob} matches no rule id (keyshare rules lists them)`);
        (name === '--rule' ? flags.rules : flags.skipRules).push(glob);
        break;
      }
      case '--fail-on': {
        const level = value();
        if (!(FAIL_LEVELS as readonly string[]).includes(level)) throw new UsageError(`--fail-on must be error, warning or info, not "${level}"`);
        flags.failOn = level as Severity;
        break;
      }
      case '--config':
        flags.config = value();
        break;
      case '--quiet':
        flags.quiet = true;
        break;
      case '--show-suppressed':
        flags.showSuppressed = true;
        break;
      case '--baseline':
        flags.baseline = value();
        break;
      case '--write-baseline':
        flags.writeBaseline = value();
        break;
      case '--parameters':
        flags.parameters.push(value());
        break;
      case '--var-file':
        flags.varFiles.push(value());
        break;
      case '--max-file-size': {
        const raw = value();
        const mb = Number(raw);
        if (!Number.isFinite(mb) || mb <= 0) throw new UsageError(`--max-file-size takes a size in MB above 0, not "${raw}"`);
        flags.maxFileSizeMb = mb;
        break;
      }
      case '--max-warnings': {
        const raw = value();
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 0) throw new UsageError(`--max-warnings needs a whole number, not "${raw}"`);
        flags.maxWarnings = n;
        break;
      }
      default:
        return false;
    }
    return true;
  };
  walkArguments(args, option, (arg) => flags.paths.push(arg));
  return flags;
}

async function check(args: string[]): Promise<number> {
  const flags = parseCheckFlags(args);
  const cwd = process.cwd();
  let baseline: ReturnType<typeof readBaseline> | undefined;
  try {
    if (flags.baseline) baseline = readBaseline(flags.baseline, cwd);
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  }
  const { parameters, variables } = await readDeploymentValues(flags.parameters, flags.varFiles, cwd);
  const interactive = process.stderr.isTTY === true;
  let lastProgress = 0;
  const run = await runCheck({
    paths: flags.paths,
    config: flags.config,
    cwd,
    parameters,
    variables,
    maxFileSize: flags.maxFileSizeMb === undefined ? undefined : Math.max(1, Math.round(flags.maxFileSizeMb * 1024 * 1024)),
    showSuppressed: flags.showSuppressed,
    onProgress: interactive
      ? (done, total) => {
          const now = Date.now();
          if (total > 200 && now - lastProgress > 200) {
            lastProgress = now;
            process.stderr.write(`\rkeyshare: ${done}/${total} files`);
          }
          if (done === total && lastProgress) process.stderr.write('\r\x1b[K');
        }
      : undefined,
  });
  for (const problem of run.problems) process.stderr.write(`keyshare: ${problem}\n`);
  for (const note of run.notes) process.stderr.write(`keyshare: ${note}\n`);
  // --rule and --skip-rule choose what is reported and counted; --quiet only what is printed.
  const selected = ruleSelector(flags.rules, flags.skipRules);
  const selection = flags.rules.length || flags.skipRules.length ? run.reports.filter((r) => selected(r.ruleId)) : run.reports;
  if (flags.writeBaseline) {
    const written = writeBaseline(flags.writeBaseline, selection, cwd);
    process.stderr.write(`keyshare: wrote ${written === 1 ? '1 finding' : `${written} findings`} to ${flags.writeBaseline}; check with --baseline ${flags.writeBaseline} to report only new ones\n`);
    return run.ioError ? 2 : 0;
  }
  // A baseline hides the findings it holds: reported, counted and failing are only the new ones.
  const known = baseline ? withoutBaseline(selection, baseline, cwd) : undefined;
  const chosen = known ? known.fresh : selection;
  // --quiet prints what fails the check: errors, or every severity at or above --fail-on (and warnings under --max-warnings).
  const quietRank = Math.min(QUIET_RANK[flags.failOn as keyof typeof QUIET_RANK] ?? 3, flags.maxWarnings !== undefined ? 2 : 3);
  const reports = flags.quiet ? chosen.filter((r) => QUIET_RANK[r.severity] >= quietRank) : chosen;
  const summary = chosen === run.reports ? run.summary : { ...run.summary, counts: countSeverities(chosen) };
  if (flags.format === 'json') process.stdout.write(formatJson(reports) + '\n');
  else if (flags.format === 'sarif') process.stdout.write(formatSarif(reports, VERSION) + '\n');
  else if (flags.format === 'junit') process.stdout.write(formatJunit({ reports, checked: run.checked, unreadable: run.unreadable, failOn: flags.failOn }) + '\n');
  else if (flags.format === 'gitlab') process.stdout.write(formatGitlab(reports) + '\n');
  else if (flags.format === 'github') {
    const text = formatGithub(reports, run.unreadable);
    if (text) process.stdout.write(text + '\n');
  } else {
    const text = formatText(reports, process.stdout.isTTY === true && !process.env.NO_COLOR);
    if (text) process.stdout.write(text + '\n');
    const suppressed = reports.filter((r) => r.suppressed).length;
    const inBaseline = known?.known ? `; ${known.known} in the baseline (not shown)` : '';
    process.stderr.write(`${checkSummaryLine(summary, run.unreadable.map((u) => u.file), suppressed)}${inBaseline}\n`);
  }
  if (run.ioError) return 2;
  // Suppressed findings are shown, never counted.
  const failing = chosen.filter((r) => !r.suppressed && atOrAbove(r.severity, flags.failOn)).length;
  const warnings = chosen.filter((r) => r.severity === 'warning' && !r.suppressed).length;
  if (failing > 0) return 1;
  if (flags.maxWarnings !== undefined && warnings > flags.maxWarnings) {
    process.stderr.write(`keyshare: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${flags.maxWarnings}\n`);
    return 1;
  }
  return 0;
}

function countSeverities(reports: readonly Report[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) if (!r.suppressed) counts[r.severity]++;
  return counts;
}

/** The values a deployment gives a template or module (--parameters, --var-file); a file that cannot be used is a usage error. */
async function readDeploymentValues(parameterFiles: string[], varFiles: string[], cwd: string): Promise<{ parameters?: Record<string, string>; variables?: Record<string, VariableValue> }> {
  try {
    return { parameters: readParameters(parameterFiles, cwd), variables: await readVarFiles(varFiles, cwd) };
  } catch (error) {
    if (error instanceof ParametersError || error instanceof VariablesError) throw new UsageError(error.message);
    throw error;
  }
}

async function explainCommand(args: string[]): Promise<number> {
  const flags = { principal: '', action: '', key: '', policies: [] as string[], context: {} as Record<string, string>, paths: [] as string[], format: 'text', config: undefined as string | undefined, parameterFiles: [] as string[], varFiles: [] as string[] };
  const option = (name: string, value: () => string): boolean => {
    switch (name) {
      case '--principal':
        flags.principal = value();
        break;
      case '--action':
        flags.action = value();
        break;
      case '--key':
        flags.key = value();
        break;
      case '--policy':
        flags.policies.push(value());
        break;
      case '--parameters':
        flags.parameterFiles.push(value());
        break;
      case '--var-file':
        flags.varFiles.push(value());
        break;
      case '--config':
        flags.config = value();
        break;
      case '--context': {
        const pair = value();
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`--context needs key=value, not "${pair}"`);
        flags.context[pair.slice(0, eq)] = pair.slice(eq + 1);
        break;
      }
      case '--format': {
        const format = value();
        if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
        flags.format = format;
        break;
      }
      default:
        return false;
    }
    return true;
  };
  walkArguments(args, option, (arg) => flags.paths.push(arg));
  for (const required of ['principal', 'action', 'key'] as const) if (!flags[required]) throw new UsageError(`keyshare explain needs --${required} (try keyshare explain --help)`);
  const cwd = process.cwd();
  const { parameters, variables } = await readDeploymentValues(flags.parameterFiles, flags.varFiles, cwd);
  const run = await runExplain({ ...flags, cwd, parameters, variables });
  if (!run.ok) {
    process.stderr.write(`keyshare: ${run.message}\n`);
    return 2;
  }
  process.stdout.write((flags.format === 'json' ? formatExplainJson(run.answer, cwd) : formatExplainText(run.answer, cwd)) + '\n');
  return 0;
}

function rulesCommand(args: string[]): number {
  const flags: { format: 'text' | 'json' } = { format: 'text' };
  const option = (name: string, value: () => string): boolean => {
    if (name !== '--format') return false;
    const given = value();
    if (given !== 'text' && given !== 'json') throw new UsageError(`--format must be text or json, not "${given}"`);
    flags.format = given;
    return true;
  };
  walkArguments(args, option, (arg) => {
    throw new UsageError(`keyshare rules takes no paths, not "${arg}" (try keyshare rules --help)`);
  });
  const rules = listRules();
  process.stdout.write((flags.format === 'json' ? formatRulesJson(rules) : formatRulesText(rules)) + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number | 'serving'> {
  const [command, ...rest] = argv;
  if (command === 'help' && rest[0] !== undefined) {
    const help = COMMAND_HELP[rest[0]];
    if (!help) throw new UsageError(`unknown command "${rest[0]}" (try keyshare --help)`);
    process.stdout.write(help);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (COMMAND_HELP[command] && wantsHelp(rest)) {
    process.stdout.write(COMMAND_HELP[command]);
    return 0;
  }
  if (command === 'check') return await check(rest);
  if (command === 'explain') return await explainCommand(rest);
  if (command === 'rules') return rulesCommand(rest);
  if (command === 'lsp') {
    if (!rest.includes('--stdio')) throw new UsageError('keyshare lsp needs --stdio');
    // The server is its own bundle beside this one: `check` never pays for loading it.
    const serverBundle = path.join(__dirname, 'server.js');
    if (!SERVER_EXEC_ARGV.every((flag) => process.execArgv.includes(flag))) {
      // Its Node options only take effect at process start: run it as VS Code does, on this process's stdio.
      // Required here: a check never pays for loading child_process.
      const { spawn } = require('child_process') as typeof import('child_process');
      const child = spawn(process.execPath, [...SERVER_EXEC_ARGV, serverBundle, ...rest], { stdio: 'inherit' });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
      child.on('exit', (code, signal) => {
        process.exitCode = code ?? (signal ? 1 : 0);
      });
      return 'serving';
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(serverBundle).startServer();
    return 'serving';
  }
  throw new UsageError(`unknown command "${command}" (try keyshare --help)`);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== 'serving') process.exitCode = code;
    },
    (error) => {
      if (error instanceof UsageError) {
        process.stderr.write(`keyshare: ${error.message}\n`);
      } else {
        process.stderr.write(`keyshare: internal error: ${(error as Error).stack ?? error}\n`);
      }
      process.exitCode = 2;
    },
  );
}

/** Severities by weight, for --quiet. */
const QUIET_RANK = { hint: 0, info: 1, warning: 2, error: 3 } as const;
