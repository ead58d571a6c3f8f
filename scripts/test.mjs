#!/usr/bin/env node
// `npm test`: everything CI checks, in one command. Installs what the browser and Redis tests need, builds
// dist/, then runs every vitest suite (spec lint, generated/ drift, type-check, packaging and
// bundle checks are vitest tests too, so one summary counts them all). Ends with the plain
// `N passed, N failed` line CI reads (vitest's own summary is coloured and not parsed by CI).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", REDOCLY_TELEMETRY: "off", NPM_CONFIG_LOGLEVEL: "error" };
const run = (label, command, args) => {
  console.log(`\n> ${label}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  return result.status ?? 1;
};

const started = performance.now();
run("ensure Chromium (browser tests)", process.execPath, ["scripts/ensure-chromium.mjs"]);
run("ensure redis-server (Redis pacing tests)", process.execPath, ["scripts/ensure-redis.mjs"]);
if (run("build dist/", process.execPath, ["scripts/build.mjs"]) !== 0) {
  finish(0, 1, "build failed");
}

const report = join(root, "vitest.json");
rmSync(report, { force: true });
const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
const extra = process.argv.slice(2);
// The dot reporter: one character per test, then every failure in full and the totals, so a
// result is visible without scrolling past hundreds of test names.
const rc = run("vitest", process.execPath, [vitest, "run", "--reporter=dot", "--reporter=json", `--outputFile.json=${report}`, ...extra]);
if (!existsSync(report)) finish(0, 1, `vitest exited ${rc} without a report`);
const r = JSON.parse(readFileSync(report, "utf8"));
// A suite that failed before reporting any test (an import error) counts once. Tests vitest marks
// skipped or todo count as failed: nothing here may skip, and a throwing beforeAll shows up as skips.
const brokenSuites = r.testResults.filter((suite) => suite.status === "failed" && suite.assertionResults.length === 0).length;
const skipped = r.numPendingTests + r.numTodoTests;
if (skipped > 0) console.error(`\ntest: ${skipped} test(s) were skipped; they count as failed (CI never skips).`);
let failed = r.numFailedTests + brokenSuites + skipped;
// vitest can exit non-zero for errors outside tests (an unhandled rejection): never report green then.
if (rc !== 0 && failed === 0) failed = 1;
finish(r.numPassedTests, failed, null);

function finish(passed, failed, why) {
  if (why) console.error(`\ntest: ${why}`);
  console.log(`\ntest: finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const line = `${passed} passed, ${failed} failed`;
  writeFileSync(join(root, "vitest-summary.txt"), `${line}\n`);
  console.log(line);
  process.exit(failed > 0 ? 1 : 0);
}
