#!/usr/bin/env node
// Real-world regression measurement: runs `keyshare check` over the policy files listed in
// test/realworld/manifest.json and prints, per host format, the false alarms on files labelled
// clean and the recall on files labelled problem. Plain Node, no dependencies; it needs the built
// CLI (npm run build). It always exits 0: it is a measurement, not a gate.
//
//   node scripts/realworld.js check [folder] [--json]
//
// folder defaults to test/realworld/files/ and holds files/<id>/<basename of path>.
// See test/realworld/README.md for how to fill it.

"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const crypto = require("crypto");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const manifestPath = process.env.KEYSHARE_REALWORLD_MANIFEST || path.join(root, "test", "realworld", "manifest.json");
const cliPath = path.join(root, "server", "out", "cli.js");
const FORMATS = ["json", "cloudformation", "sam", "cdk", "terraform"];
const REPORTED = new Set(["error", "warning"]);

function usage(code) {
  process.stderr.write("Usage: node scripts/realworld.js check [folder] [--json]\n");
  process.exit(code);
}

function short(text, n = 100) {
  const one = String(text ?? "").replace(/\s+/g, " ").trim();
  return one.length > n ? one.slice(0, n) : one;
}

function pct(part, whole) {
  return whole === 0 ? null : Math.round((1000 * part) / whole) / 10;
}

function fmtPct(value) {
  return value === null ? "-" : `${value.toFixed(1)}%`;
}

// Each file is checked alone: copied into an empty temporary folder and checked there with an
// empty keyshare.json, so no configuration above it and no other policy file can change the result.
function checkFile(file, scratch, emptyConfig) {
  const dir = fs.mkdtempSync(path.join(scratch, "f-"));
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy);
  const run = spawnSync(process.execPath, [cliPath, "check", "--format", "json", "--config", emptyConfig, path.basename(copy)], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  fs.rmSync(dir, { recursive: true, force: true });
  if (run.error) return { error: run.error.message, findings: [] };
  let findings;
  try {
    findings = JSON.parse(run.stdout || "[]");
  } catch {
    return { error: `exit ${run.status}: ${short(run.stderr || run.stdout, 200)}`, findings: [] };
  }
  if (!Array.isArray(findings)) return { error: "unexpected output (not an array)", findings: [] };
  return { error: run.status === 2 ? short(run.stderr, 200) : null, findings };
}

function main() {
  const args = process.argv.slice(2);
  const asJson = args.includes("--json");
  const rest = args.filter((a) => a !== "--json");
  if (rest[0] === "-h" || rest[0] === "--help") usage(0);
  if (rest[0] !== "check") usage(2);
  const folder = path.resolve(rest[1] ?? path.join(root, "test", "realworld", "files"));

  if (!fs.existsSync(cliPath)) {
    process.stderr.write(`The CLI is not built (${path.relative(process.cwd(), cliPath)}): run npm run build first.\n`);
    process.exit(0);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "keyshare-realworld-"));
  const emptyConfig = path.join(scratch, "keyshare.json");
  fs.writeFileSync(emptyConfig, "{}\n");

  const stats = {};
  for (const f of FORMATS) stats[f] = { files: 0, clean: 0, falseAlarms: 0, problem: 0, found: 0 };
  const missing = [];
  const shaMismatch = [];
  const toolErrors = [];
  const falseAlarms = [];
  const misses = [];
  const ruleCounts = {};

  try {
    for (const entry of manifest) {
      const file = path.join(folder, entry.id, path.basename(entry.path));
      if (!fs.existsSync(file)) {
        missing.push(entry.id);
        continue;
      }
      const sha = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
      if (sha !== entry.sha256) {
        shaMismatch.push(entry.id);
        continue;
      }
      const s = stats[entry.format] ?? (stats[entry.format] = { files: 0, clean: 0, falseAlarms: 0, problem: 0, found: 0 });
      s.files++;
      const result = checkFile(file, scratch, emptyConfig);
      if (result.error) toolErrors.push({ id: entry.id, error: result.error });
      const reported = result.findings.filter((x) => REPORTED.has(x.severity));
      const shown = reported.map((x) => ({ rule: x.ruleId, severity: x.severity, message: short(x.message) }));

      if (entry.label === "clean") {
        s.clean++;
        if (reported.length > 0) {
          s.falseAlarms++;
          falseAlarms.push({ id: entry.id, format: entry.format, findings: shown });
          for (const rule of new Set(reported.map((x) => x.ruleId))) {
            const c = ruleCounts[rule] ?? (ruleCounts[rule] = { files: 0, example: null });
            c.files++;
            if (!c.example) c.example = { id: entry.id, message: short(reported.find((x) => x.ruleId === rule).message) };
          }
        }
      } else {
        s.problem++;
        const hit = (entry.problems ?? []).some((p) =>
          p.rule ? reported.some((x) => x.ruleId === p.rule) : reported.length > 0,
        );
        if (hit) s.found++;
        else
          misses.push({
            id: entry.id,
            format: entry.format,
            expected: (entry.problems ?? []).map((p) => p.rule ?? "(any rule)"),
            got: shown,
          });
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const total = { files: 0, clean: 0, falseAlarms: 0, problem: 0, found: 0 };
  for (const s of Object.values(stats)) for (const k of Object.keys(total)) total[k] += s[k];
  const numbers = {};
  for (const [format, s] of [...Object.entries(stats), ["total", total]]) {
    if (s.files === 0 && format !== "total") continue;
    numbers[format] = {
      files: s.files,
      clean: s.clean,
      falseAlarms: s.falseAlarms,
      falseAlarmPct: pct(s.falseAlarms, s.clean),
      problem: s.problem,
      found: s.found,
      recallPct: pct(s.found, s.problem),
    };
  }
  const topFalseAlarmRules = Object.entries(ruleCounts)
    .sort((a, b) => b[1].files - a[1].files || a[0].localeCompare(b[0]))
    .map(([rule, c]) => ({ rule, files: c.files, example: c.example }));

  if (asJson) {
    process.stdout.write(
      JSON.stringify(
        {
          manifest: manifest.length,
          checked: total.files,
          missing: missing.length,
          shaMismatch,
          toolErrors,
          formats: numbers,
          topFalseAlarmRules,
          falseAlarms,
          misses,
        },
        null,
        2,
      ) + "\n",
    );
    return;
  }

  const out = [];
  out.push(`Keyshare real-world set: ${manifest.length} in manifest, ${total.files} checked, ${missing.length} missing (skipped), ${shaMismatch.length} sha256 mismatch (skipped)`);
  out.push("");
  out.push("format          files  clean  false alarms        problem  found  recall");
  for (const [format, n] of Object.entries(numbers)) {
    out.push(
      `${format.padEnd(15)} ${String(n.files).padStart(5)}  ${String(n.clean).padStart(5)}  ${`${n.falseAlarms} (${fmtPct(n.falseAlarmPct)})`.padEnd(18)}  ${String(n.problem).padStart(7)}  ${String(n.found).padStart(5)}  ${fmtPct(n.recallPct)}`,
    );
  }
  if (shaMismatch.length) out.push("", `sha256 mismatch: ${shaMismatch.join(", ")}`);
  if (toolErrors.length) {
    out.push("", "CLI errors:");
    for (const e of toolErrors) out.push(`  ${e.id}: ${e.error}`);
  }
  out.push("", `False alarms (clean files with a warning or error): ${falseAlarms.length}`);
  for (const fa of falseAlarms) {
    out.push(`  ${fa.id} [${fa.format}]`);
    for (const f of fa.findings) out.push(`    ${f.severity} ${f.rule}: ${f.message}`);
  }
  out.push("", `Misses (problem files where no expected problem is reported): ${misses.length}`);
  for (const m of misses) {
    out.push(`  ${m.id} [${m.format}] expected ${m.expected.join(", ")}; got ${m.got.length ? "" : "nothing at warning or error"}`);
    for (const f of m.got) out.push(`    ${f.severity} ${f.rule}: ${f.message}`);
  }
  if (topFalseAlarmRules.length) {
    out.push("", "False alarms by rule (clean files):");
    for (const r of topFalseAlarmRules) out.push(`  ${String(r.files).padStart(3)}  ${r.rule}  e.g. ${r.example.id}: ${r.example.message}`);
  }
  process.stdout.write(out.join("\n") + "\n");
}

try {
  main();
} catch (err) {
  process.stderr.write(`realworld: ${err && err.stack ? err.stack : err}\n`);
}
process.exit(0);
