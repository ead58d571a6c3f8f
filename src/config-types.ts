/**
 * Type helpers that shape provider configs so a mistake gets a compile error naming the real
 * problem, not the nearest union member's missing property.
 *
 * - `Forbidden<Why>`: the type of a property that must be left out. Its only values are
 *   `undefined` and an object no one writes, so passing anything names `Why` in the error:
 *   `Type 'string' is not assignable to type 'Forbidden<"…not both…">'`.
 * - `OneOf<[A, B], Why>`: exactly one of the alternatives, each forbidding the others' keys.
 *   TypeScript checks a config that fits no branch against the LAST one, so put the usual
 *   alternative last: `{ apiKey: process.env.X }` then reports `Type 'string | undefined' is not
 *   assignable to type 'string'` on `apiKey`, instead of "Property 'accessToken' is missing".
 *
 * Misspelled options stay compile errors: every branch is a plain object type, so excess
 * property checks still apply ("'apiKee' does not exist … Did you mean to write 'apiKey'?").
 */

/** A property that must be left out; the type's name and key say why. */
export type Forbidden<Why extends string> = undefined | { readonly [K in Why]: never };

type KeysOf<T extends readonly object[]> = T[number] extends infer U ? (U extends object ? keyof U : never) : never;

/** Each alternative with the other alternatives' keys forbidden, in the tuple's order. */
type Branches<T extends readonly object[], All extends PropertyKey, Why extends string> = {
  [I in keyof T]: T[I] & { [K in Exclude<All, keyof T[I]>]?: Forbidden<Why> };
};

/** Exactly one of the alternatives; the usual one goes last (see the module comment). */
export type OneOf<T extends readonly object[], Why extends string> = Branches<T, KeysOf<T>, Why>[number];
