/** The binary's usage and configuration errors (exit 2), help and version. No server needed. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerEnv } from "../../src/cli/env.js";
import { providerNames } from "../../src/index.js";
import { assertBuilt, killChildren, root, runCli } from "./helpers.js";

beforeAll(assertBuilt);
// Tests run concurrently: kill leftovers only once all are done (runCli kills its own child on timeout).
afterAll(killChildren);

const ALL_VARS = [
  "USERAPI_TOKEN",
  "USERAPI_BASE_URL",
  "TRUTO_API_TOKEN",
  "TRUTO_INTEGRATED_ACCOUNT_ID",
  "WETHOD_API_TOKEN",
  "WETHOD_COMPANY",
  "WETHOD_VERSION",
  "CLOSE_API_KEY",
  "CLOSE_ACCESS_TOKEN",
  "FEATUREBASE_API_KEY",
  "FEATUREBASE_VERSION",
];

describe.concurrent("contactkit usage", () => {
  it.each(["constructor", "toString", "__proto__"])("help %s is a usage error (exit 2), not a crash", async (topic) => {
    const r = await runCli(["help", topic]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(topic);
  });

  it("--help lists the commands, the delete options and every environment variable (exit 0)", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const text of [
      "delete <provider>",
      "demo",
      "fake-server",
      "--ids-file",
      "--missing-ok",
      "--json",
      "--concurrency",
      "--base-url",
      "--max-retries",
      "--timeout-ms",
    ]) {
      expect(r.stdout).toContain(text);
    }
    for (const name of ALL_VARS) expect(r.stdout).toContain(name);
    expect(r.stderr).toBe("");
  });

  it("no arguments prints the usage on stderr and exits 2", async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("contactkit delete <provider>");
    expect(r.stderr).toContain("contactkit --help");
    expect(r.stdout).toBe("");
  });

  it("--version prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("delete --help shows the delete options (exit 0)", async () => {
    const r = await runCli(["delete", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--ids-file FILE");
    expect(r.stdout).toContain("Exit codes");
  });

  it("an unknown command exits 2 and lists the commands", async () => {
    const r = await runCli(["remove", "close", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "remove"');
    expect(r.stderr).toMatch(/delete, erase, demo, fake-server/);
  });

  it("an unknown provider exits 2, lists the providers and suggests the right spelling", async () => {
    const r = await runCli(["delete", "Close", "cont_1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown provider "Close"');
    expect(r.stderr).toContain("userapi, truto, wethod, close, featurebase");
    expect(r.stderr).toContain("did you mean `close`");
  });

  it.each([
    ["feturebase", "featurebase"],
    ["wethood", "wethod"],
    ["TRUTTO", "truto"],
  ])("a misspelled provider %s gets the nearest name as a suggestion (%s)", async (typed, meant) => {
    const r = await runCli(["delete", typed, "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown provider "${typed}"`);
    expect(r.stderr).toContain(`did you mean \`${meant}\`?`);
  });

  it("a name far from every provider gets no guess", async () => {
    const r = await runCli(["delete", "salesforce", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("did you mean");
  });

  it("help lists every exit code: 0, 1, 2, 130 and a closed pipe", async () => {
    const r = await runCli(["help"]);
    expect(r.code).toBe(0);
    const section = r.stdout.slice(r.stdout.indexOf("Exit codes:"));
    for (const code of ["0", "1", "2", "130"]) expect(section).toMatch(new RegExp(`^  ${code} +\\S`, "m"));
    expect(section).toMatch(/^ {2}1 +.*closed early \(a pipe/m);
  });

  it("an unknown flag exits 2 and names it", async () => {
    const r = await runCli(["delete", "close", "cont_1", "--force"], { env: { CLOSE_API_KEY: "k_123456" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option --force");
    expect(r.stderr).toContain("contactkit delete --help");
  });

  it.each([
    [["--concurrency", "0"], "--concurrency must be a whole number from 1 to 256"],
    [["--concurrency", "many"], "--concurrency must be a whole number"],
    [["--timeout-ms", "-5"], '--timeout-ms must be a whole number from 1 to 2147483647, got "-5"'],
    [["--timeout-ms", "-1"], '--timeout-ms must be a whole number from 1 to 2147483647, got "-1"'],
    [["--concurrency", "-0.5"], '--concurrency must be a whole number from 1 to 256, got "-0.5"'],
    [["--max-retries", "1.5"], "--max-retries must be a whole number"],
    [["--base-url", "ftp://example.com"], "--base-url must be an http:// or https:// URL"],
    [["--concurrency"], "--concurrency"],
  ])("a bad flag value %j exits 2 with a message", async (flags, message) => {
    const r = await runCli(["delete", "close", "cont_1", ...flags], { env: { CLOSE_API_KEY: "k_123456" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("no ids exits 2 and explains how to give them", async () => {
    const r = await runCli(["delete", "wethod"], { env: { WETHOD_API_TOKEN: "t_123456", WETHOD_COMPANY: "acme" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no ids given");
    expect(r.stderr).toContain("--ids-file");
  });

  it("no provider exits 2 and lists the providers", async () => {
    const r = await runCli(["delete"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("needs a provider");
    expect(r.stderr).toContain("featurebase");
  });

  it("ids both as arguments and --ids-file exit 2", async () => {
    const r = await runCli(["delete", "close", "cont_1", "--ids-file", "ids.txt"], { env: { CLOSE_API_KEY: "k_123456" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not both");
  });

  it("a missing ids file exits 2 naming it", async () => {
    const r = await runCli(["delete", "close", "--ids-file", "/nonexistent/ids.txt"], { env: { CLOSE_API_KEY: "k_123456" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read ids file "/nonexistent/ids.txt": no such file');
  });

  // Every required variable of every provider, with recognisable values (secrets contain "secret").
  const fullEnv = Object.fromEntries(
    providerNames.map((p) => [
      p,
      Object.fromEntries(providerEnv[p].filter((v) => v.required).map((v) => [v.name, v.secret ? `${p.slice(0, 1)}_secret_1` : "value_1"])),
    ]),
  ) as Record<string, Record<string, string>>;

  const missingCases = Object.entries(fullEnv).flatMap(([provider, env]) => Object.keys(env).map((name) => [provider, name] as const));

  it.each(missingCases)("%s without %s exits 2 naming exactly that variable", async (provider, name) => {
    const env = { ...fullEnv[provider] };
    delete env[name];
    const r = await runCli(["delete", provider, provider === "wethod" ? "42" : "507f1f77bcf86cd799439011"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`missing environment variable ${name}`);
    // Only the missing one is named as missing, and no credential value is echoed.
    for (const other of Object.keys(env)) expect(r.stderr).not.toContain(`variable ${other}`);
    for (const value of Object.values(env)) if (value.includes("secret")) expect(r.stderr + r.stdout).not.toContain(value);
    expect(r.stdout).toBe("");
  });

  it("an empty variable counts as missing", async () => {
    const r = await runCli(["delete", "featurebase", "507f1f77bcf86cd799439011"], { env: { FEATUREBASE_API_KEY: "" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing environment variable FEATUREBASE_API_KEY");
  });

  it("close accepts CLOSE_ACCESS_TOKEN instead of CLOSE_API_KEY, but not both", async () => {
    const both = await runCli(["delete", "close", "cont_1"], { env: { CLOSE_API_KEY: "c_secret_1", CLOSE_ACCESS_TOKEN: "c_secret_2" } });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("both CLOSE_API_KEY and CLOSE_ACCESS_TOKEN are set");
    expect(both.stderr).not.toMatch(/c_secret_/);
  });

  it("a library config error (invalid setting) exits 2 and points at the variable, without the token", async () => {
    const r = await runCli(["delete", "truto", "31000001"], {
      env: { TRUTO_API_TOKEN: "t_secret_zzz", TRUTO_INTEGRATED_ACCOUNT_ID: "not-a-uuid" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("`integratedAccountId` must be a UUID");
    expect(r.stderr).toContain("TRUTO_INTEGRATED_ACCOUNT_ID");
    expect(r.stderr + r.stdout).not.toContain("t_secret_zzz");
  });

  it("a token with stray whitespace is a config error (exit 2) that names the variable but not the value", async () => {
    const r = await runCli(["delete", "featurebase", "507f1f77bcf86cd799439011"], { env: { FEATUREBASE_API_KEY: " f_secret_spaced " } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("FEATUREBASE_API_KEY");
    expect(r.stderr + r.stdout).not.toContain("f_secret_spaced");
  });
});
