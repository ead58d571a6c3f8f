// Type-level contract of the public API. These assertions are checked by `tsc --noEmit` (run by
// test/project/typecheck.test.ts); the runtime bodies below only make vitest count them.
import { describe, expectTypeOf, it } from "vitest";
import {
  createContactsClient,
  type ContactsClient,
  type ContactsClientConfig,
  type DeleteContactOptions,
  type DeleteResult,
  type ContactkitErrorCode,
} from "../src/index.js";
import type { paths as closePaths } from "../src/entries/close.js";
import type { ProviderName } from "../src/index.js";

describe("public types", () => {
  it("the config union is discriminated by provider", () => {
    expectTypeOf<Extract<ContactsClientConfig, { provider: "userapi" }>>().toHaveProperty("baseUrl").toEqualTypeOf<string>();
    expectTypeOf<Extract<ContactsClientConfig, { provider: "truto" }>>().toHaveProperty("integratedAccountId").toEqualTypeOf<string>();
    expectTypeOf<Extract<ContactsClientConfig, { provider: "wethod" }>>().toHaveProperty("company").toEqualTypeOf<string>();
    expectTypeOf<Extract<ContactsClientConfig, { provider: "featurebase" }>["apiVersion"]>().toEqualTypeOf<"2026-01-01.nova" | undefined>();
    expectTypeOf<ContactsClientConfig["provider"]>().toEqualTypeOf<ProviderName>();
    expectTypeOf<"close">().toMatchTypeOf<ProviderName>();
  });

  it("a missing or wrong setting is a compile error", () => {
    // @ts-expect-error userapi needs baseUrl
    expectTypeOf({ provider: "userapi", token: "t" } as const).toMatchTypeOf<ContactsClientConfig>();
    // @ts-expect-error wethod needs company
    expectTypeOf({ provider: "wethod", token: "t" } as const).toMatchTypeOf<ContactsClientConfig>();
    // @ts-expect-error close takes apiKey or accessToken, not both
    expectTypeOf({ provider: "close", apiKey: "k", accessToken: "t" } as const).toMatchTypeOf<ContactsClientConfig>();
    expectTypeOf({ provider: "close", accessToken: "t" } as const).toMatchTypeOf<ContactsClientConfig>();
  });

  it("the client is typed by its provider", () => {
    const makeClose = () => createContactsClient({ provider: "close", apiKey: "k" });
    expectTypeOf<ReturnType<typeof makeClose>>().toEqualTypeOf<ContactsClient<"close">>();
    expectTypeOf<Awaited<ReturnType<ContactsClient<"truto">["deleteContact"]>>>().toEqualTypeOf<DeleteResult<"truto">>();
    expectTypeOf<DeleteResult["outcome"]>().toEqualTypeOf<"deleted" | "absent">();
  });

  it("per-provider options belong to their provider only", () => {
    expectTypeOf<DeleteContactOptions<"userapi">>().toHaveProperty("include");
    expectTypeOf<DeleteContactOptions<"truto">>().toHaveProperty("remoteQuery");
    expectTypeOf<DeleteContactOptions<"close">>().not.toHaveProperty("include");
    expectTypeOf<DeleteContactOptions<"featurebase">>().not.toHaveProperty("excludeFields");
    const close = {} as ContactsClient<"close">;
    const truto = {} as ContactsClient<"truto">;
    const userapi = {} as ContactsClient<"userapi">;
    const callsThatMustNotCompile = () => {
      // @ts-expect-error include is a userapi option
      void close.deleteContact("cont_1", { include: ["emails"] });
      // @ts-expect-error not a documented include value
      void userapi.deleteContact("c", { include: ["secrets"] });
      // @ts-expect-error responseFormat is an enum
      void truto.deleteContact("1", { responseFormat: "xml" });
    };
    expectTypeOf(callsThatMustNotCompile).returns.toBeVoid();
    expectTypeOf(truto.deleteContact).parameter(1).toMatchTypeOf<{ excludeFields?: string[] } | undefined>();
  });

  it("error codes are a closed union", () => {
    expectTypeOf<"not_found">().toMatchTypeOf<ContactkitErrorCode>();
    expectTypeOf<"teapot">().not.toMatchTypeOf<ContactkitErrorCode>();
  });

  it("the provider subpath exposes the generated paths", () => {
    expectTypeOf<closePaths>().toHaveProperty("/api/v1/contact/{id}/");
    expectTypeOf<closePaths["/api/v1/contact/{id}/"]["delete"]>().not.toBeNever();
  });
});

describe("createContactsClient rejects unknown options (issue 10 item 14)", () => {
  it("misspelled or foreign options are compile errors", () => {
    const make = () => {
      // @ts-expect-error misspelled common option
      createContactsClient({ provider: "close", apiKey: "k", maxRetry: 2 });
      // @ts-expect-error wrong case
      createContactsClient({ provider: "close", apiKey: "k", timeoutMS: 2 });
      // @ts-expect-error Truto's option on Close
      createContactsClient({ provider: "close", apiKey: "k", integratedAccountId: "a" });
      return createContactsClient({ provider: "close", apiKey: "k", maxRetries: 2 });
    };
    expectTypeOf(make).returns.toEqualTypeOf<ContactsClient<"close">>();
  });
});
