// src/config-types.ts: provider configs whose compile errors name the real problem. Two layers:
// type assertions (checked by tsc, via test/project/typecheck.test.ts), and the compiler's actual
// messages for the README's two mistakes, read from an in-memory program.
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Forbidden, OneOf } from "../src/config-types.js";
import type { CommonClientOptions } from "../src/index.js";

const WHY = "Close takes apiKey or accessToken, not both";
/** Shaped like Close's config: an OAuth token or (the usual one, last) an API key. */
type SampleConfig = CommonClientOptions & { provider: "close" } & OneOf<[{ accessToken: string }, { apiKey: string }], typeof WHY>;

describe("OneOf / Forbidden (types)", () => {
  it("accepts exactly one alternative", () => {
    expectTypeOf({ provider: "close", apiKey: "k" } as const).toMatchTypeOf<SampleConfig>();
    expectTypeOf({ provider: "close", accessToken: "t" } as const).toMatchTypeOf<SampleConfig>();
    // @ts-expect-error both alternatives at once
    expectTypeOf({ provider: "close", apiKey: "k", accessToken: "t" } as const).toMatchTypeOf<SampleConfig>();
    // @ts-expect-error neither alternative
    expectTypeOf({ provider: "close" } as const).toMatchTypeOf<SampleConfig>();
    // A forbidden key may be spelled out as undefined (spreading a partial config).
    expectTypeOf({ provider: "close", apiKey: "k", accessToken: undefined } as const).toMatchTypeOf<SampleConfig>();
  });

  it("a forbidden property accepts nothing but undefined", () => {
    expectTypeOf<undefined>().toMatchTypeOf<Forbidden<"why">>();
    expectTypeOf<string>().not.toMatchTypeOf<Forbidden<"why">>();
    expectTypeOf<Record<string, unknown>>().not.toMatchTypeOf<Forbidden<"why">>();
  });
});

/** Compiles `lines` (after `prelude`) as one file in test/; returns each line's diagnostics as text. */
function diagnosticsByLine(prelude: string, lines: string[]): string[] {
  const file = join(import.meta.dirname, "__config_types_probe__.ts");
  const code = `${prelude}\n${lines.join("\n")}\n`;
  const first = prelude.split("\n").length;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, code, version) : getSourceFile.call(host, name, version, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? code : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  const out = lines.map(() => "");
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (d.file?.fileName !== file || d.start === undefined) continue;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line - first;
    if (line >= 0 && line < out.length) out[line] += `${ts.flattenDiagnosticMessageText(d.messageText, "\n")}\n`;
  }
  return out;
}

const prelude = `
import type { OneOf } from "../src/config-types.js";
import type { CommonClientOptions } from "../src/index.js";
type Config = CommonClientOptions & { provider: "close" } & OneOf<[{ accessToken: string }, { apiKey: string }], "${WHY}">;
declare function create<C extends Config | { provider: "wethod"; token: string; company: string }>(config: C): void;
declare const env: Record<string, string | undefined>;`;

describe("OneOf / Forbidden (compiler messages)", () => {
  const [fromEnv, both, misspelled, correct] = diagnosticsByLine(prelude, [
    `create({ provider: "close", apiKey: env.CLOSE_API_KEY });`,
    `create({ provider: "close", apiKey: "k", accessToken: "t" });`,
    `create({ provider: "close", apiKee: "k" });`,
    `create({ provider: "close", apiKey: "k" }); create({ provider: "close", accessToken: "t" });`,
  ]);

  it("an env variable that may be undefined: the message is about apiKey being string | undefined", () => {
    expect(fromEnv).toMatch(
      /Types of property 'apiKey' are incompatible\.\s+Type 'string \| undefined' is not assignable to type 'string'/,
    );
    expect(fromEnv).not.toContain("Property 'accessToken' is missing");
  });

  it("both apiKey and accessToken: the message says not both", () => {
    expect(both).toContain(`Type 'string' is not assignable to type 'Forbidden<"${WHY}">'`);
  });

  it("a misspelled option is still an excess-property error with a suggestion", () => {
    expect(misspelled).toContain("'apiKee' does not exist");
    expect(misspelled).toContain("Did you mean to write 'apiKey'?");
  });

  it("a correct config compiles", () => {
    expect(correct).toBe("");
  });
});

// The same mistakes against the real `createContactsClient` and Close's real config (issue 15
// item 7, issue 10 item 14): each message must name the problem.
describe("createContactsClient (compiler messages, real API)", () => {
  const realPrelude = `
import { createContactsClient, type ContactsClientConfig } from "../src/index.js";
declare const env: Record<string, string | undefined>;
declare const anyConfig: ContactsClientConfig;`;
  const [fromEnv, both, maxRetry, timeoutMS, foreign, wrongProviderKey, correct] = diagnosticsByLine(realPrelude, [
    `createContactsClient({ provider: "close", apiKey: env.CLOSE_API_KEY });`,
    `createContactsClient({ provider: "close", apiKey: "k", accessToken: "t" });`,
    `createContactsClient({ provider: "close", apiKey: "k", maxRetry: 2 });`,
    `createContactsClient({ provider: "featurebase", apiKey: "k", timeoutMS: 2 });`,
    `createContactsClient({ provider: "close", apiKey: "k", integratedAccountId: "00000000-0000-4000-8000-000000000000" });`,
    `createContactsClient({ provider: "truto", token: "t", integratedAccountId: "x", apiKey: "k" });`,
    `const a: "close" = createContactsClient({ provider: "close", apiKey: "k" }).provider; createContactsClient(anyConfig); createContactsClient({ provider: "wethod", token: "t", company: "acme" });`,
  ]);

  it("apiKey from the environment (string | undefined): the message names apiKey's type, not accessToken", () => {
    expect(fromEnv).toMatch(
      /Types of property 'apiKey' are incompatible\.\s+Type 'string \| undefined' is not assignable to type 'string'/,
    );
    expect(fromEnv).not.toContain("Property 'accessToken' is missing");
  });

  it("both apiKey and accessToken: the message says Close takes one, not both", () => {
    expect(both).toContain(`Type 'string' is not assignable to type 'Forbidden<"${WHY}">'`);
  });

  it("misspelled and foreign options are excess-property errors", () => {
    expect(maxRetry).toContain("'maxRetry' does not exist");
    expect(timeoutMS).toContain("'timeoutMS' does not exist");
    expect(timeoutMS).toContain("Did you mean to write 'timeoutMs'?");
    expect(foreign).toContain("'integratedAccountId' does not exist");
    expect(wrongProviderKey).toContain("'apiKey' does not exist");
  });

  it("correct configs compile, and the client's provider is the literal", () => {
    expect(correct).toBe("");
  });
});
